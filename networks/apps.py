from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from networks import (
            admin_autocomplete,
            affiliations,
            cache,
            checks,
            citizens,
            history,
            lookups,
            mail,
            membership_requests,
            panels,
            staff,
        )
        from networks.models import (
            Campaign,
            Membership,
            Network,
            NetworkRole,
            Organisation,
            OrganisationRole,
            Person,
            Topic,
            User,
            WorkingGroup,
        )
        from networks.search import answers as search_answers

        lookups.register()
        history.share_manager_classes()  # Model.history's manager class made once, not per save
        admin_autocomplete.register()  # the admin's autocomplete fields: a value that is no id is a form error
        checks.register()  # SITE_URL set in production (the links of emails and calendar files)
        staff.connect()  # a second factor set up in a session counts as used there; removed, as not used

        # networks.mail registers networks' own kinds of email on import; the opt-outs are personal data.
        panels.register_personal_data("mail", mail.export)
        panels.register_account_delete("mail", mail.before_delete)

        # Belonging to an organisation: its kinds of email, its panel in "Mein Bereich", its personal data.
        affiliations.register()
        membership_requests.register()  # asking the coordination to join a network (the 403 page offers it)

        # Shown on many public pages (names, profiles, membership counts); rarely changed: every page.
        for model in (Organisation, Membership, Person, Topic):
            cache.watch(model, cache.everything)
        cache.watch(Network, lambda _network: ("global", search_answers.NAMES_SCOPE))  # also the search's facets

        # The network's space for its members (people, coordinators and their addresses, working groups,
        # campaigns) and a person's calendar feed (their roles).
        def network_slug(network_id) -> str | None:
            return Network.objects.filter(pk=network_id).values_list("slug", flat=True).first()

        def of_role(role) -> tuple[str, ...]:  # also whether the account counts as a citizen (networks.citizens)
            network = cache.of_network(network_slug(role.network_id))
            return (*network, *cache.of_person(role.person_id), *citizens.scopes_of_role(role))

        def of_network_child(instance) -> tuple[str, ...]:
            return cache.of_network(network_slug(instance.network_id))

        def of_user(user) -> tuple[str, ...]:  # a coordinator's address shown in the space; the feed (is_active)
            slugs = Network.objects.filter(roles__person__user=user).values_list("slug", flat=True)
            return (f"user:{user.pk}", *(f"network:{slug}" for slug in slugs))

        cache.watch(NetworkRole, of_role)
        cache.watch(WorkingGroup, of_network_child)
        cache.watch(Campaign, of_network_child)
        cache.watch(User, of_user, ignore=("last_login",))  # not at every login
        cache.watch(OrganisationRole, citizens.scopes_of_role)
        m2m_changed.connect(  # a working group's members: the account's roles (the search's scopes)
            citizens.group_members_changed,
            sender=WorkingGroup.members.through,
            weak=False,
            dispatch_uid="roles-of-group-members",
        )
