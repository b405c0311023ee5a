"""The article's lead image is now a picture of the library; the old fields go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0017_media_lead_images"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="lead_image"),
        migrations.RemoveField(model_name="article", name="lead_image_width"),
        migrations.RemoveField(model_name="article", name="lead_image_height"),
        migrations.RemoveField(model_name="article", name="lead_image_renditions"),
        migrations.RemoveField(model_name="article", name="lead_image_alt"),
        migrations.RemoveField(model_name="article", name="lead_image_caption"),
        migrations.RemoveField(model_name="article", name="lead_image_credit"),
        migrations.RenameField(model_name="article", old_name="library_lead_image", new_name="lead_image"),
        migrations.AlterField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(blank=True, help_text="A picture from the library; its alt text is needed to publish.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="lead_of", to="articles.picture"),
        ),
    ]
