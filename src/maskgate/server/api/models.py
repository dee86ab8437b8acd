"""Request and response bodies of the REST API (pydantic models: validation and the OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SESSION_PATTERN = r"^[A-Za-z0-9._:@/+=-]{1,128}$"
Label = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{0,39}$")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _one_of_text_json(schema: dict[str, Any]) -> None:
    schema["oneOf"] = [{"required": ["text"]}, {"required": ["json"]}]
    schema["properties"]["text"] = {"type": "string", "description": "Plain text."}


class TextOrJson(_Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_one_of_text_json)

    text: str | None = Field(None, description="Plain text.")
    json_: Any = Field(None, alias="json", description="Any JSON value: every string in it is handled.")

    @model_validator(mode="after")
    def _one_of(self) -> TextOrJson:
        given = "text" in self.model_fields_set, "json_" in self.model_fields_set
        if given[0] == given[1]:
            raise ValueError("give exactly one of 'text' or 'json'")
        if given[0] and self.text is None:
            raise ValueError("'text' must be a string")
        return self


class RedactRequest(TextOrJson):
    session: str | None = Field(
        None, pattern=SESSION_PATTERN, description="Vault session; a new one is created when absent."
    )
    locales: list[Literal["us", "uk", "au", "nz", "es"]] | None = Field(
        None, description="Regional recognizer packs to use (default: the server's)."
    )
    labels: list[Label] | None = Field(None, description="Mask only these labels.")
    reveal: bool = Field(False, description="Return each entity's value (needs the reveal scope; audited).")


class Entity(BaseModel):
    start: int
    end: int
    label: str
    placeholder: str
    score: float
    source: str
    path: str | None = Field(None, description="JSON pointer of the string (json input only).")
    key: bool = Field(False, description="The entity is in an object key (json input only).")
    value: str | None = Field(None, description="Only with reveal.")


class RedactResponse(BaseModel):
    text: str | None = None
    json_: Any = Field(None, alias="json")
    session: str
    entities: list[Entity]


class HydrateRequest(TextOrJson):
    session: str = Field(..., pattern=SESSION_PATTERN)


class HydrateResponse(BaseModel):
    text: str | None = None
    json_: Any = Field(None, alias="json")
    session: str
    replaced: int = Field(..., description="Placeholders of the session replaced by their values.")


class SessionOut(BaseModel):
    id: str = Field(..., description="Keyed hash of the session name (the name itself is not stored).")
    created: float
    last_used: float
    expires: float | None
    entries: int
    labels: dict[str, int]


class SessionList(BaseModel):
    sessions: list[SessionOut]
    offset: int
    limit: int
    next_offset: int | None


class Placeholder(BaseModel):
    placeholder: str
    label: str
    value: str | None = Field(None, description="Only with reveal.")


class SessionDetail(SessionOut):
    placeholders: list[Placeholder]


class ExtendRequest(_Body):
    seconds: float | None = Field(
        None, ge=0, description="New lifetime from now; absent: the configured TTL; 0: never expires."
    )


class ForgetRequest(_Body):
    value: str = Field(..., min_length=1, max_length=10_000)


class ForgetResponse(BaseModel):
    erased: int


class Deleted(BaseModel):
    deleted: int


class Pruned(BaseModel):
    pruned: int


Regex = Annotated[str, Field(min_length=1, json_schema_extra={"format": "regex"})]
Term = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


def _closed_maps(schema: Any) -> None:
    """Maps keyed by label: no other keys (pydantic writes only `patternProperties`)."""
    if isinstance(schema, dict):
        if "patternProperties" in schema:
            schema["additionalProperties"] = False
        for v in schema.values():
            _closed_maps(v)
    elif isinstance(schema, list):
        for v in schema:
            _closed_maps(v)


class Dictionary(_Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_closed_maps)

    deny: dict[Label, list[Term]] | list[Term] = Field(
        default_factory=list, description="Terms always masked: a list, or {LABEL: [terms]}."
    )
    allow: list[Term] = Field(default_factory=list, description="Terms never masked.")
    patterns: dict[Label, list[Regex]] = Field(
        default_factory=dict, description="Custom regexes per label: {LABEL: [regex, ...]}."
    )


class RuntimeSettings(BaseModel):
    version: int
    settings: dict[str, Any]


class SettingsPatch(_Body):
    model_config = ConfigDict(extra="allow")


class ExportOut(BaseModel):
    session: SessionOut
    values: list[Placeholder]
    used: list[dict[str, Any]] = Field(..., description="Audit records of the session (no values).")


class AuditRecordOut(BaseModel):
    time: float
    kind: str
    method: str
    path: str
    status: int
    session: str | None
    provider: str | None
    actor: str | None
    action: str | None
    labels: dict[str, int]
    sources: dict[str, int]
    bytes_in: int
    bytes_out: int
    detect_ms: float
    upstream_ms: float
    unmasked: bool
    detail: dict[str, Any]


class AuditList(BaseModel):
    records: list[AuditRecordOut]
    offset: int
    limit: int
    next_offset: int | None


class ErrorDetail(BaseModel):
    type: str
    message: str


class Error(BaseModel):
    error: ErrorDetail
