"""The media library: pictures and their uses, and a place for an article's library lead image."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fraction():
    return [
        django.core.validators.MinValueValidator(0.0, "The focal point is a fraction from 0 to 1."),
        django.core.validators.MaxValueValidator(1.0, "The focal point is a fraction from 0 to 1."),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0015_article_addresses"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Picture",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.ImageField(help_text="JPEG, PNG, WebP or GIF, up to 25 MB. Location and camera data are removed.", max_length=200, unique=True, upload_to="", verbose_name="picture")),
                ("width", models.PositiveIntegerField(editable=False)),
                ("height", models.PositiveIntegerField(editable=False)),
                ("renditions", models.JSONField(blank=True, default=list, editable=False, help_text="The resized copies made at upload: name, width, height and format of each.")),
                ("crops", models.JSONField(blank=True, default=dict, editable=False, help_text="Copies cut around the focal point (social card, square, thumbnail).")),
                ("alt", models.CharField(blank=True, help_text="What the picture shows, for readers who cannot see it. Needed before an article using it is published.", max_length=300, verbose_name="alt text")),
                ("caption", models.CharField(blank=True, max_length=500)),
                ("credit", models.CharField(blank=True, help_text="E.g. “Reuters/Jane Doe”.", max_length=200)),
                ("source", models.CharField(blank=True, help_text="Where it came from and on what terms, e.g. “PA Images, agency licence”.", max_length=300, verbose_name="source and licence")),
                ("focal_x", models.FloatField(default=0.5, help_text="From 0 (left edge) to 1 (right edge).", validators=fraction(), verbose_name="focal point (across)")),
                ("focal_y", models.FloatField(default=0.5, help_text="From 0 (top edge) to 1 (bottom edge).", validators=fraction(), verbose_name="focal point (down)")),
                ("uploaded_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="uploaded")),
                ("uploaded_by", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-uploaded_at", "-id"],
                "indexes": [models.Index(fields=["-uploaded_at"], name="picture_uploaded_desc")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("focal_x__gte", 0), ("focal_x__lte", 1), ("focal_y__gte", 0), ("focal_y__lte", 1)),
                        name="picture_focal_point_inside",
                        violation_error_message="The focal point must be inside the picture.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PictureUse",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("lead", "Lead image"), ("body", "In the body")], max_length=4)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="picture_uses", to="articles.article")),
                ("picture", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="uses", to="articles.picture")),
            ],
            options={
                "indexes": [models.Index(fields=["article", "kind"], name="picture_use_article")],
                "constraints": [models.UniqueConstraint(fields=("picture", "article", "kind"), name="unique_picture_use")],
            },
        ),
        # Filled from the old lead-image fields by 0017, then renamed lead_image by 0018.
        migrations.AddField(
            model_name="article",
            name="library_lead_image",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="articles.picture"),
        ),
    ]
