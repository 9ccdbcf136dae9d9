import pytest
from prometheus_client import REGISTRY

TOKEN = "scrape-token-for-the-tests-0123456789"


def sample(name: str, **labels) -> float:
    """A metric's value in this process (the tests run without PROMETHEUS_MULTIPROC_DIR); 0 when not yet counted."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def scraper(settings, client):
    """A client that scrapes /metrics with the token."""
    settings.METRICS_TOKEN = TOKEN

    def scrape() -> str:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    return scrape
