from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """25 records a page, as the list pages show; `page_size` up to 100."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
