"""Published contracts: frozen pydantic models, `extra="forbid"`."""
