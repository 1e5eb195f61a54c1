from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """25 records a page, as the list pages show; `page_size` up to 100."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class Rows:
    """A list's records as values() rows of `fields`, for a paginator: the page reads the
    columns, joins included; the count reads the filtered records alone, without those joins."""

    def __init__(self, queryset, fields):
        self.queryset, self.fields = queryset, fields

    def count(self):
        return self.queryset.count()

    def __getitem__(self, index):
        return self.queryset.values(*self.fields)[index]
