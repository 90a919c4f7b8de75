"""GIN indexes for the public search (twinning/search.py): full-text documents of names.

Index-only and database-only (the models do not declare them), so no later autodetected
migration touches them; the expressions come from twinning/fts.py, the same code the queries
use, because PostgreSQL uses an expression index only for an identical expression.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from twinning.fts import name_document


class Migration(migrations.Migration):
    dependencies = [("cities", "0002_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddIndex("city", GinIndex(name_document("name"), name="city_name_fts")),
                migrations.AddIndex("cityname", GinIndex(name_document("name"), name="cityname_name_fts")),
                migrations.AddIndex(
                    "organisation", GinIndex(name_document("name", "name_en"), name="organisation_name_fts")
                ),
                migrations.AddIndex(
                    "person", GinIndex(name_document("full_name", "full_name_en"), name="person_name_fts")
                ),
            ],
            state_operations=[],
        ),
    ]
