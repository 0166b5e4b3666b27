"""The base every Cumulocity model shares: unknown fragments kept, Cumulocity names as aliases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _id_to_str(value: Any) -> Any:
    # Ids are strings in c8ydm; the spec and SDK fixtures sometimes give integers (§10, §11.1).
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


IdStr = Annotated[str, BeforeValidator(_id_to_str)]


class C8yModel(BaseModel):
    """Base of all models: unknown fragments kept, population by field name or Cumulocity alias."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    def to_body(self) -> dict[str, Any]:
        """The JSON body with Cumulocity's names, only the fields that were set (nulls kept)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def fragment(self, name: str) -> Any:
        """The value of a top-level fragment by its Cumulocity name (typed or not), else None."""
        return self.to_body().get(name)

    def has_fragment(self, name: str) -> bool:
        """Whether the top-level fragment is present (even if empty or null)."""
        return name in self.to_body()


def as_body(value: C8yModel | Mapping[str, Any]) -> dict[str, Any]:
    """A request body from a model (set fields, Cumulocity names) or a mapping (copied as is)."""
    if isinstance(value, C8yModel):
        return value.to_body()
    return dict(value)


class PageStatistics(C8yModel):
    """A collection page's ``statistics``; totals are null for users restricted by inventory roles."""

    current_page: int | None = Field(default=None, alias="currentPage")
    page_size: int | None = Field(default=None, alias="pageSize")
    total_pages: int | None = Field(default=None, alias="totalPages")
    total_elements: int | None = Field(default=None, alias="totalElements")


class ObjectRef(C8yModel):
    """A reference to another object: ``{"id", "name", "self"}``."""

    id: IdStr | None = None
    name: str | None = None
    self_url: str | None = Field(default=None, alias="self")
