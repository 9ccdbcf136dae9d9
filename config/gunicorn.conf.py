"""gunicorn's configuration for production: ``gunicorn -c config/gunicorn.conf.py config.wsgi`` (README, Production).

gunicorn names itself in a ``Server`` header on every answer and has no setting to leave it out: the banner
tells a scanner which server (and so which known flaws) to try. The answers go out without it. Everything
else is given on the command line or in GUNICORN_CMD_ARGS.
"""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _without_server_banner(self) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server_banner
