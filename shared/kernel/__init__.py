"""The pure kernel: the domain's vocabularies and policies, standard library and pydantic only."""
