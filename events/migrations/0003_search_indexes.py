import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0002_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='delegation',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('purpose', 'outcome', config='russian'), name='delegation_text_fts'),
        ),
        migrations.AddIndex(
            model_name='jointevent',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('title', 'description', config='russian'), name='event_text_fts'),
        ),
    ]
