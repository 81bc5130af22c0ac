"""Queries over verified claims, their embeddings and the catalog version."""
from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.embeddings import ShippedEmbeddings, text_digest
from data.models import Claim, ClaimCatalog, ClaimEmbedding, utcnow
from nlp.embed import Embedder
from nlp.match import ClaimText
from nlp.normalise import clean

CATALOG_ROW = 1
EMBED_BATCH = 32


def get_claim(session: Session, claim_id: str) -> Claim | None:
    return session.get(Claim, claim_id)


_CATALOG_VERSION = select(ClaimCatalog.version).where(ClaimCatalog.id == CATALOG_ROW)
"""Built once: composing it again for every check cost about as much as running it (issue 11)."""


def catalog_version(session: Session) -> int:
    """One primary-key read: cheap enough to run on every check."""
    return session.scalar(_CATALOG_VERSION) or 0


def bump_catalog_version(session: Session) -> int:
    """Call in the same transaction as any claim change, so matchers never miss it."""
    catalog = session.get(ClaimCatalog, CATALOG_ROW, with_for_update=True)
    if catalog is None:
        catalog = ClaimCatalog(id=CATALOG_ROW, version=0)
        session.add(catalog)
    catalog.version += 1
    catalog.changed_at = utcnow()
    session.flush()
    return catalog.version


def claim_texts(session: Session, model: str | None) -> list[ClaimText]:
    """Every claim as the matcher sees it, with its embedding when one exists for `model` and this text."""
    vectors: dict[str, tuple[str, bytes]] = {}
    if model:
        rows = session.execute(select(ClaimEmbedding.claim_id, ClaimEmbedding.text_digest, ClaimEmbedding.vector)
                               .where(ClaimEmbedding.model == model))
        vectors = {claim_id: (digest, vector) for claim_id, digest, vector in rows}
    texts = []
    for claim_id, text, verdict, url in session.execute(select(Claim.id, Claim.text, Claim.verdict, Claim.source_url)
                                                        .order_by(Claim.id)):
        stored = vectors.get(claim_id)
        embedding = None
        if stored and stored[0] == text_digest(clean(text)):
            embedding = np.frombuffer(stored[1], dtype="<f4")
        texts.append(ClaimText(id=claim_id, text=text, verdict=str(verdict), url=url, embedding=embedding))
    return texts


def embed_missing(session: Session, embedder: Embedder, shipped: ShippedEmbeddings | None = None,
                  on_progress: Callable[[int], object] = lambda _count: None,
                  only: Collection[str] | None = None) -> int:
    """Store an embedding for every claim (or every claim in `only`) lacking one for this model and text;
    shipped vectors are reused."""
    embedded = select(ClaimEmbedding.claim_id, ClaimEmbedding.text_digest).where(ClaimEmbedding.model == embedder.model)
    claims = select(Claim.id, Claim.text)
    if only is not None:
        embedded, claims = embedded.where(ClaimEmbedding.claim_id.in_(only)), claims.where(Claim.id.in_(only))
    existing = {claim_id: digest for claim_id, digest in session.execute(embedded)}
    pending = []
    for claim_id, text in session.execute(claims):
        cleaned = clean(text)
        digest = text_digest(cleaned)
        if existing.get(claim_id) != digest:
            pending.append((claim_id, cleaned, digest))
    reusable = shipped.vectors if shipped and shipped.model == embedder.model else {}
    for start in range(0, len(pending), EMBED_BATCH):
        batch = pending[start:start + EMBED_BATCH]
        missing = [cleaned for claim_id, cleaned, digest in batch if (claim_id, digest) not in reusable]
        computed = iter(embedder.embed(missing)) if missing else iter(())
        for claim_id, _cleaned, digest in batch:
            vector = reusable.get((claim_id, digest))
            vector = next(computed) if vector is None else vector
            session.merge(ClaimEmbedding(claim_id=claim_id, model=embedder.model, text_digest=digest,
                                         vector=np.asarray(vector, dtype="<f4").tobytes()))
        session.flush()
        on_progress(len(batch))
    return len(pending)
