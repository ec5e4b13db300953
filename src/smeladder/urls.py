from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "中小企业梯度培育平台 · 管理后台"
admin.site.site_title = "SME Ladder"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("smeladder.api.urls")),
    path("", include("smeladder.web.urls")),
]
