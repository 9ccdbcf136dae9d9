"""``__in`` on integer columns with values the database cannot hold: no match instead of a crash.

Django already answers ``exact``, ``gt``, ``lt``, ... with an out-of-range integer by an empty (or full) result
(django.db.models.lookups.IntegerFieldOverflow), but not ``in``: SQLite raises OverflowError for
``pk__in=[10**30]``, which a multiple-choice field runs with whatever ids a client posts (a 500 instead of "not
a valid choice"). Such a value can match no row, so it is left out of the list (an empty list matches
nothing). Registered for every IntegerField (and so every AutoField/BigAutoField) in NetworksConfig.ready().
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
