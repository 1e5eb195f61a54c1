"""The abstract model of a library version and the status it goes through."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class LibraryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class VersionedLibrary(models.Model):
    """One version of a library. Published versions never change.

    A concrete library names its rows and how to speak of them:

    - `children`: the related name of its rows (`"items"`), whose model has a foreign key to
      the library;
    - `child_key`: the row field that stays the same across versions (`"code"`), by which two
      versions are compared;
    - `audit_name`: the prefix of its audit actions (`"checklist"` gives `checklist_published`);
    - `label` and `children_label`: words for messages ("checklist", "items").

    It may override `publish_problems` to add its own checks and `copy_children_to` to copy
    rows in another way.
    """

    children = ""
    child_key = ""
    audit_name = ""
    label = ""
    children_label = ""

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=LibraryStatus.choices, default=LibraryStatus.DRAFT
    )
    notes = models.TextField(blank=True, help_text="What changed in this version.")
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-version"]

    def __str__(self):
        return f"{self.name} v{self.version} ({self.get_status_display().lower()})"

    @property
    def is_draft(self):
        return self.status == LibraryStatus.DRAFT

    @classmethod
    def child_model(cls):
        return cls._meta.get_field(cls.children).related_model

    @classmethod
    def child_library_field(cls):
        """The name of the rows' foreign key to the library (`"checklist"`)."""
        return cls._meta.get_field(cls.children).field.name

    def child_rows(self):
        return getattr(self, self.children).all()

    def publish_problems(self, rows):
        """Why this draft may not be published, as messages; empty when it may.

        Rows can reach a draft without passing a form (a script, a data migration), so
        libraries whose rows have checks of their own run them again here.
        """
        if not rows:
            return [f"A {self.label} without {self.children_label} cannot be published."]
        problems = []
        for row in rows:
            try:
                row.clean()
            except ValidationError as error:
                problems.append(f"{getattr(row, self.child_key)}: {' '.join(error.messages)}")
        return problems

    def copy_children_to(self, draft):
        """Copy every row of this version into `draft`, field by field."""
        model, parent = self.child_model(), self.child_library_field()
        copied = [
            field.name
            for field in model._meta.concrete_fields
            if not field.primary_key and field.name != parent
        ]
        model.objects.bulk_create(
            model(**{parent: draft}, **{name: getattr(row, name) for name in copied})
            for row in self.child_rows()
        )
