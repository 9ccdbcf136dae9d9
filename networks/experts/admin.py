from django.contrib import admin

from networks.experts.models import Block, Question, QuestionMessage


class MessageInline(admin.TabularInline):
    model = QuestionMessage
    extra = 0
    readonly_fields = ["author", "body", "via", "created_at"]
    can_delete = False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["subject", "asker", "expert", "created_at", "last_message_at"]
    search_fields = ["subject", "asker__name", "expert__name"]
    raw_id_fields = ["asker", "expert", "topic"]
    inlines = [MessageInline]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["person", "blocked", "created_at"]
    raw_id_fields = ["person", "blocked"]
