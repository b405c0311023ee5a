"""
``__in`` on integer columns skips numbers no such column can hold, as Django's own
``exact``, ``gt`` and ``lt`` already do.

On SQLite a twenty-digit id in a forged form (a tag, a co-author, an action's
selection, ``?pk__in=`` in an admin list) raised OverflowError, a server error,
instead of simply matching nothing.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
