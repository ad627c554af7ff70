"""The site's form renderer: every form, field and choice group rendered the accessible KERN way.

Django's own templates stay the fallback for every widget we do not restyle. Templates that call
``{{ form.as_div }}`` get ours too, so no template has to change to become accessible.
"""

from django.forms.renderers import DjangoTemplates


class FondsFormRenderer(DjangoTemplates):
    form_template_name = "fonds/forms/form.html"
    field_template_name = "fonds/forms/field.html"

    # Built-in template names answered by ours: as_div() names Django's div.html directly, and the
    # choice widgets' wrapper would otherwise get the option's CSS class.
    replaced = {
        "django/forms/div.html": "fonds/forms/form.html",
        "django/forms/widgets/radio.html": "fonds/forms/widgets/choices.html",
        "django/forms/widgets/checkbox_select.html": "fonds/forms/widgets/choices.html",
    }

    def get_template(self, template_name):
        return super().get_template(self.replaced.get(template_name, template_name))
