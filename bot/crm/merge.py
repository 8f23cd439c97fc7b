"""One person, many identities: find a customer by CRM id, handle or e-mail, and merge two into one.

An e-mail address is kept as a handle on the pseudo-platform ``email``, so one lookup path
serves X accounts, Discord users and addresses alike. Merging moves every handle, mention and
case of one customer onto the other and keeps the better-known facts (CRM record, followers,
verified); it never merges two different CRM records.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Case, Customer, CustomerHandle, Mention

EMAIL = "email"


class MergeConflict(ValueError):
    """Two customers that cannot be the same person (different CRM records)."""


def normal_handle(platform: str, handle: str) -> tuple[str, str]:
    handle = handle.strip()
    if platform != EMAIL:
        handle = handle.lstrip("@")
    return platform.strip().lower(), handle.lower()


def by_handle(session: Session, platform: str, handle: str) -> Customer | None:
    platform, handle = normal_handle(platform, handle)
    return session.scalars(select(Customer).join(CustomerHandle).where(
        CustomerHandle.platform == platform, CustomerHandle.handle == handle)).first()


def by_crm_id(session: Session, crm_id: str) -> Customer | None:
    return session.scalars(select(Customer).where(Customer.crm_id == crm_id)).first()


def find_all(session: Session, *, crm_id: str | None, handles: Iterable[tuple[str, str]]) -> list[Customer]:
    """Every stored customer that is this person by one of the given identities, oldest first."""
    found: dict[int, Customer] = {}
    if crm_id and (customer := by_crm_id(session, crm_id)) is not None:
        found[customer.id] = customer
    for platform, handle in handles:
        if (customer := by_handle(session, platform, handle)) is not None:
            found[customer.id] = customer
    return [found[k] for k in sorted(found)]


def add_handle(session: Session, customer: Customer, platform: str, handle: str) -> bool:
    """Give ``customer`` this identity unless they have it already; True when added."""
    platform, handle = normal_handle(platform, handle)
    owner = by_handle(session, platform, handle)
    if owner is not None:
        if owner.id != customer.id:
            raise MergeConflict(f"{platform} {handle!r} belongs to another customer (#{owner.id})")
        return False
    session.add(CustomerHandle(customer_id=customer.id, platform=platform, handle=handle))
    session.flush()
    return True


def merge(session: Session, keep: Customer, other: Customer) -> Customer:
    """Move everything of ``other`` onto ``keep`` and delete ``other``."""
    if keep.id == other.id:
        return keep
    session.flush()
    if keep.crm_id and other.crm_id and keep.crm_id != other.crm_id:
        raise MergeConflict(f"customer #{keep.id} is CRM {keep.crm_id} and #{other.id} is CRM {other.crm_id}")
    crm_id = keep.crm_id or other.crm_id
    if other.crm_id and not keep.crm_id:
        other.crm_id = None  # free the unique CRM id before ``keep`` takes it
        session.flush()
    keep.crm_id = crm_id
    keep.crm_tier = keep.crm_tier or other.crm_tier
    keep.crm_value = keep.crm_value if keep.crm_value is not None else other.crm_value
    keep.display_name = keep.display_name or other.display_name
    keep.followers = max(keep.followers or 0, other.followers or 0)
    keep.verified = bool(keep.verified or other.verified)
    keep.first_seen_at = min(keep.first_seen_at, other.first_seen_at)
    for model in (CustomerHandle, Mention, Case):
        session.execute(update(model).where(model.customer_id == other.id).values(customer_id=keep.id)
                        .execution_options(synchronize_session=False))
    session.expunge(other)
    session.execute(Customer.__table__.delete().where(Customer.id == other.id))
    session.flush()
    # Rows moved by the bulk UPDATEs above are stale in the session: read them again when used.
    session.expire_all()
    return keep


def unify(session: Session, *, crm_id: str | None, identities: list[tuple[str, str]], tier: str | None = None,
          value: float | None = None, name: str | None = None) -> tuple[Customer, bool, int]:
    """Make every stored customer with one of these identities (or this CRM id) one customer with
    all of them and the CRM data given. Returns (customer, created, how many were merged in)."""
    found = find_all(session, crm_id=crm_id, handles=identities)
    records = {c.crm_id for c in found if c.crm_id}
    if crm_id and records - {crm_id}:
        raise MergeConflict(f"an identity already belongs to CRM record {sorted(records - {crm_id})[0]}")
    if not crm_id and len(records) > 1:
        raise MergeConflict(f"these identities belong to different CRM records ({', '.join(sorted(records))})")
    created, merged = False, 0
    if found:
        keep = next((c for c in found if crm_id and c.crm_id == crm_id), None) or next(
            (c for c in found if c.crm_id), found[0])
        for other in found:
            if other.id != keep.id:
                keep = merge(session, keep, other)
                merged += 1
    else:
        keep = Customer(display_name=name or None, followers=0, verified=False)
        session.add(keep)
        session.flush()
        created = True
    if crm_id:
        keep.crm_id = crm_id
    keep.crm_tier = tier.strip().lower() if tier and tier.strip() else keep.crm_tier
    keep.crm_value = value if value is not None else keep.crm_value
    if name and not keep.display_name:
        keep.display_name = name
    for platform, handle in identities:
        add_handle(session, keep, platform, handle)
    return keep, created, merged
