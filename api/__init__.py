"""The public REST API (issue 18 §1): /api/v1/, its OpenAPI schema, personal API tokens."""
