from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = "Sign-in: single sign-on and two-factor"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from identity import second_factor

        # Every way of signing in (the sign-in page, the admin's, single sign-on) ends in
        # django.contrib.auth.login, which sends this signal: hooking it here means no way of
        # signing in can skip the second factor.
        user_logged_in.connect(second_factor.on_sign_in, dispatch_uid="identity.second_factor")
