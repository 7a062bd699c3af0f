"""What every table module shares: the metadata (with its naming convention),
the id and time types and the common foreign keys."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    MetaData,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = BigInteger
Timestamp = DateTime(timezone=True)


def _account_fk(name: str = "account_id", *, nullable: bool = False) -> Column[int]:
    return Column(name, ID, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=nullable)


def _status_fk(name: str = "status_id", *, nullable: bool = False) -> Column[int]:
    return Column(name, ID, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=nullable)
