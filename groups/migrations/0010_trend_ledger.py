"""The publication ledger: trend summary snapshots become publications whose figures are
ledger entries (one row per figure), and the returns behind them are kept as source versions.

Each snapshot's stored records are moved into entries; a snapshot kept no sources, so its
figures are audited as figures of returns that may since have changed."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import groups.models.ledger

TOTAL = "total"


def _entries(publication, data, entry_model):
    entries = {}
    for table in data.get("tables", []):
        for record in table.get("records", []):
            scope = record["scope"]
            regions = sorted(scope.get("region", []))
            quarters = sorted(scope.get("quarter", []))
            others = [keys for dimension, keys in scope.items() if dimension not in ("region", "quarter")]
            category = others[0][0] if others and len(others[0]) == 1 else TOTAL
            key = (tuple(regions), tuple(quarters), category)
            if key in entries or not regions or not quarters:
                continue
            entries[key] = entry_model(
                publication=publication,
                regions=regions,
                quarters=quarters,
                category=category,
                value=record.get("published"),
            )
    return list(entries.values())


def snapshots_to_entries(apps, schema_editor):
    Publication = apps.get_model("groups", "TrendPublication")
    Entry = apps.get_model("groups", "TrendLedgerEntry")
    for publication in Publication.objects.all().iterator():
        data = publication.data or {}
        Entry.objects.bulk_create(_entries(publication, data, Entry))
        Publication.objects.filter(pk=publication.pk).update(organisations=data.get("organisations") or 0)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0009_trend_summaries"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="trendsummarysnapshot", name="trend_snapshot_one_per_revision_audience"),
        migrations.RemoveIndex(model_name="trendsummarysnapshot", name="trend_snapshot_page"),
        migrations.RemoveIndex(model_name="trendsummarysnapshot", name="trend_snapshot_public"),
        migrations.RemoveIndex(model_name="trendsummarysnapshot", name="trend_snapshot_period"),
        migrations.RenameModel(old_name="TrendSummarySnapshot", new_name="TrendPublication"),
        migrations.RenameField(model_name="trendpublication", old_name="created_at", new_name="published_at"),
        migrations.AlterField(
            model_name="trendpublication",
            name="published_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="trendpublication",
            name="page",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="trend_publications",
                to="wagtailcore.page",
            ),
        ),
        migrations.AlterField(
            model_name="trendpublication",
            name="revision",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="trend_publications",
                to="wagtailcore.revision",
            ),
        ),
        migrations.AddField(
            model_name="trendpublication", name="organisations", field=models.PositiveIntegerField(default=0)
        ),
        migrations.AddField(model_name="trendpublication", name="sources", field=models.JSONField(default=dict)),
        migrations.AddField(model_name="trendpublication", name="audit", field=models.JSONField(default=dict)),
        migrations.AddField(model_name="trendpublication", name="information_kept", field=models.FloatField(null=True)),
        migrations.AlterModelOptions(name="trendpublication", options={"ordering": ["-published_at", "-pk"]}),
        migrations.AddConstraint(
            model_name="trendpublication",
            constraint=models.UniqueConstraint(fields=("revision", "audience"), name="trend_publication_one_per_revision"),
        ),
        migrations.AddIndex(
            model_name="trendpublication",
            index=models.Index(fields=["page", "audience"], name="trend_publication_page"),
        ),
        migrations.AddIndex(
            model_name="trendpublication",
            index=models.Index(fields=["audience", "region", "year", "quarter"], name="trend_publication_public"),
        ),
        migrations.AddIndex(
            model_name="trendpublication",
            index=models.Index(fields=["period_end", "period_start"], name="trend_publication_period"),
        ),
        migrations.CreateModel(
            name="TrendLedgerEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("regions", models.JSONField()),
                ("quarters", models.JSONField()),
                ("category", models.CharField(max_length=40)),
                ("value", models.PositiveIntegerField(null=True)),
                ("revised", models.BooleanField(default=False)),
                ("reason", models.CharField(blank=True, max_length=20)),
                (
                    "publication",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="groups.trendpublication",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "trend ledger entries",
                "ordering": ["publication", "pk"],
                "indexes": [models.Index(fields=["publication", "category"], name="trend_entry_publication")],
            },
        ),
        migrations.CreateModel(
            name="TrendSourceVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64, unique=True)),
                ("region", models.CharField(choices=groups.models.ledger.Region.choices, max_length=40)),
                ("year", models.PositiveSmallIntegerField()),
                ("quarter", models.PositiveSmallIntegerField()),
                ("counts", models.JSONField()),
                ("organisations", models.JSONField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"indexes": [models.Index(fields=["region", "year", "quarter"], name="trend_source_block")]},
        ),
        migrations.RunPython(snapshots_to_entries, migrations.RunPython.noop),
        migrations.RemoveField(model_name="trendpublication", name="data"),
    ]
