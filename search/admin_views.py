"""The 区信息中心's search management: recommended results (best bets), the query log with its
zero-result queries and the public popular list (大家都在搜, whose entries can be hidden), and the
state of the index. Central administrators only."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tenants.admin_views import central_admin_required

from . import index, pusher, querylog
from .models import BestBet, HiddenQuery, OutboxEntry, QueryLog, SearchDocument


class BestBetForm(forms.ModelForm):
    url = forms.URLField(label="链接", max_length=500, assume_scheme="https")

    class Meta:
        model = BestBet
        fields = ["queries", "title", "url", "description", "sort_order", "enabled"]
        widgets = {"queries": forms.Textarea(attrs={"rows": 4})}


@central_admin_required
def best_bet_index(request):
    bets = BestBet.objects.all()
    return TemplateResponse(request, "search/admin/best_bets.html", {"page_title": "推荐结果", "bets": bets})


@central_admin_required
def best_bet_edit(request, pk=None):
    bet = get_object_or_404(BestBet, pk=pk) if pk else None
    form = BestBetForm(request.POST or None, instance=bet)
    if request.method == "POST":
        if "delete" in request.POST and bet is not None:
            bet.delete()
            messages.success(request, f"已删除推荐结果“{bet.title}”")
            return redirect("search_admin:best_bets")
        if form.is_valid():
            saved = form.save()
            messages.success(request, f"已保存推荐结果“{saved.title}”")
            return redirect("search_admin:best_bets")
    title = "编辑推荐结果" if bet else "新建推荐结果"
    return TemplateResponse(request, "search/admin/best_bet_form.html", {"page_title": title, "form": form, "bet": bet})


@central_admin_required
def query_log(request):
    try:
        days = max(1, min(365, int(request.GET.get("days", "30"))))
    except ValueError:
        days = 30
    since = timezone.now() - timedelta(days=days)
    logs = QueryLog.objects.filter(created_at__gte=since)
    top = logs.values("query").annotate(n=Count("id"), zero=Count("id", filter=Q(total=0)),
                                        last=Max("created_at")).order_by("-n", "query")[:50]
    zero = (logs.filter(total=0).values("query").annotate(n=Count("id"), last=Max("created_at"))
            .order_by("-n", "-last")[:100])
    context = {
        "page_title": "搜索日志", "days": days, "top": top, "zero": zero,
        "searches": logs.count(), "zero_searches": logs.filter(total=0).count(),
        "degraded_searches": logs.exclude(backend="elasticsearch").count(),
        "popular": querylog.popular_queries(), "hidden": HiddenQuery.objects.all(),
        "min_visitors": querylog.POPULAR_MIN_VISITORS,
    }
    return TemplateResponse(request, "search/admin/query_log.html", context)


@central_admin_required
@require_POST
def popular_hide(request):
    query = request.POST.get("query", "")
    if querylog.hide(query, request=request):
        messages.success(request, f"“{query}”不再出现在“大家都在搜”中")
    elif query.strip():
        messages.info(request, f"“{query}”已经隐藏")
    else:
        messages.error(request, "请指定要隐藏的搜索词")
    return redirect("search_admin:query_log")


@central_admin_required
@require_POST
def popular_show(request, pk):
    query = querylog.show_again(pk, request=request)
    if query:
        messages.success(request, f"已恢复“{query}”：搜索的访客足够多时会重新出现在“大家都在搜”中")
    return redirect("search_admin:query_log")


@central_admin_required
def index_status(request):
    state = {"alias": index.alias(), "indices": [], "indexed": None, "error": ""}
    try:
        state["indices"] = index.current_indices()
        state["indexed"] = index.client("index").count(index=index.alias())["count"]
    except Exception as error:  # noqa: BLE001 - shown to the operator
        state["error"] = f"{type(error).__name__}: {error}"[:300]
    oldest = OutboxEntry.objects.order_by("created_at").first()
    context = {
        "page_title": "索引状态", "state": state, "documents": SearchDocument.objects.count(),
        "pending": pusher.pending_count(), "oldest": oldest,
        "failing": OutboxEntry.objects.filter(attempts__gt=0).order_by("-attempts")[:10],
    }
    return TemplateResponse(request, "search/admin/status.html", context)
