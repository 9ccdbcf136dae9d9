"""allauth hooks: every account gets a person, every allauth email goes through the outbox."""

import logging
import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.stages import EmailVerificationStage
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from django.shortcuts import render
from django.template.defaultfilters import linebreaks, urlize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from networks.outbox import outbox_enqueue
from networks.services import person_ensure

INVITATION_SESSION_KEY = "klimanetz_invitation_token"

logger = logging.getLogger(__name__)


def _as_html(*, subject: str, text: str) -> str:
    paragraphs = linebreaks(text, autoescape=True)  # escapes the text, <p> per paragraph, <br> per line
    body = urlize(paragraphs, autoescape=False)  # the text is escaped already: only the links become tags
    context = {
        "subject": subject,
        "body": mark_safe(body),  # noqa: S308  # nosec: escaped by linebreaks above
        "language": get_language() or "de",
        "site_url": settings.SITE_URL,
    }
    return render_to_string("emails/account_message.html", context)


def user_display(user) -> str:
    """How allauth names an account on its pages and in its mails: the person's name, else the address
    (a confirmation page otherwise reads "… that a@b.de is an email address of a@b.de")."""
    person = getattr(user, "person", None)
    return (person.name if person is not None and person.name else "") or user.email


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            person_ensure(user=user, name=form.cleaned_data.get("name", ""), language=get_language() or "de")
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = context.get("request") or self.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        msg = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, mime in getattr(msg, "alternatives", []) if mime == "text/html"), "")
        if not html:  # allauth's templates are text only: the same words as HTML, links clickable
            html = _as_html(subject=msg.subject, text=msg.body)
        outbox_enqueue(
            recipient=email,
            reason=template_prefix.rsplit("/", 1)[-1][:60],
            object_key="account",
            occasion=uuid.uuid4().hex,  # each allauth mail is its own occasion (new key, new code)
            subject=msg.subject,
            body_text=msg.body,
            body_html=html,
            language=get_language() or "de",
        )

    def get_login_stages(self) -> list[str]:
        allauths = "allauth.account.stages.EmailVerificationStage"
        return [
            f"{__name__}.InvitationEmailVerificationStage" if s == allauths else s for s in super().get_login_stages()
        ]

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address for the rate limits, from the proxy's header (settings: TRUSTED_PROXY_COUNT).
        A request with fewer X-Forwarded-For entries than proxies did not pass them all: counted under the
        address it came from (allauth would answer 500)."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning("X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT; using REMOTE_ADDR")
            if not request.META.get("REMOTE_ADDR"):
                raise PermissionDenied("Unable to determine client IP address") from None
            return request.META["REMOTE_ADDR"]

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._pending_invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self._pending_invitation_url(request) or super().get_signup_redirect_url(request)

    @staticmethod
    def _pending_invitation_url(request: HttpRequest) -> str | None:
        """Someone who came through an invitation link goes back to it after logging in or signing up."""
        token = request.session.pop(INVITATION_SESSION_KEY, None)
        return reverse("networks:invitation-accept", args=[token]) if token else None


def _signup_invitation(request: HttpRequest, user):
    """The open invitation whose link this browser followed before signing up with its address, if any."""
    from networks.models import Invitation

    token = request.session.get(INVITATION_SESSION_KEY)
    if not token or not user.email:
        return None
    return Invitation.objects.open().filter(token=token, email__iexact=user.email).first()


class InvitationEmailVerificationStage(EmailVerificationStage):
    """A sign-up through an invitation link: the link proves the address for that one invitation (issue 14 §2.6).

    The new account is signed in right away, in this session, to accept it; its address stays unconfirmed and the
    confirmation mail goes out as for every sign-up. Every later login, the other invitations to the address
    (InvitationQuerySet.addressed_to) and everything else that asks for a confirmed address wait for it."""

    def handle(self):
        if self.login.signup and _signup_invitation(self.request, self.login.user) is not None:
            self.login.email_verification = EmailVerificationMethod.OPTIONAL  # signed in, mail sent, not verified
        return super().handle()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-in with an organisation's identity provider (networks.signin): its apps come from our providers, its
    first sign-in links only an account with the same confirmed address in the provider's domains, or an invitation.
    Roles never come from the identity provider: only from invitations and coordinators."""

    def get_requests_session(self):
        """allauth's requests to identity providers (discovery, token, user info, keys) go through
        networks.outbound (networks.signin.transport)."""
        from networks.signin import transport

        return transport.through_outbound(super().get_requests_session())

    def list_apps(self, request: HttpRequest, provider=None, client_id=None):
        from networks.signin.selectors import social_apps

        return social_apps(provider=provider, client_id=client_id)

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        from networks.signin import selectors, services

        provider = selectors.provider_by_slug(sociallogin.account.provider)
        try:
            services.first_sign_in(request=request, sociallogin=sociallogin, provider=provider)
        except services.SignInRefused as exc:
            context = {"code": exc.code, "provider": exc.provider, "email": services.email_of(sociallogin)}
            raise ImmediateHttpResponse(render(request, "signin/refused.html", context, status=403)) from exc

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        """A new account only for an open invitation to the address first_sign_in found verified."""
        from networks.signin import services

        email = services.email_of(sociallogin)
        return bool(email) and services.open_invitations(email).exists()

    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))).strip()
        user.klimanetz_name = name[:150]  # the person's name for save_user (same request); no role, no other claim
        return user

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        from networks.services import invitation_accept
        from networks.signin import services

        user = super().save_user(request, sociallogin, form=form)
        invitations = list(services.open_invitations(user.email).order_by("created_at"))
        name = getattr(user, "klimanetz_name", "") or next((i.name for i in invitations if i.name), "")
        person_ensure(user=user, name=name, language=get_language() or "de")
        for invitation in invitations:
            invitation_accept(invitation=invitation, user=user)
        return user
