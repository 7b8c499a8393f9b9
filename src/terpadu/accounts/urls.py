from django.urls import path

from terpadu.accounts import password_views, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("2fa/verifikasi/", views.two_factor_verify, name="2fa_verify"),
    path("2fa/atur/", views.two_factor_setup, name="2fa_setup"),
    path("2fa/matikan/", views.disable_2fa, name="2fa_disable"),
    path("profil/", views.profile, name="profile"),
    path("profil/sesi/<int:pk>/akhiri/", views.end_session, name="end_session"),
    path("kata-sandi/", password_views.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/lupa/", password_views.PasswordResetView.as_view(), name="password_reset"),
    path("kata-sandi/lupa/terkirim/", password_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("token/baru/", views.token_create, name="token_create"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/token/baru/", views.user_token_create, name="user_token_create"),
    path("penugasan-peran/<int:pk>/cabut/", views.assignment_revoke, name="assignment_revoke"),
    path("peran/", views.role_list, name="role_list"),
    path("peran/<int:pk>/", views.role_detail, name="role_detail"),
]
