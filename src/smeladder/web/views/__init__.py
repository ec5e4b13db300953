"""The platform's pages, one module per page. Every registry read goes through `for_user`
(registry/models/scoped.py): a firm outside the user's scope does not exist for that user (404),
whatever the URL says. Each module lists its own `urlpatterns`; web/urls.py joins them."""
