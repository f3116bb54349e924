from django.shortcuts import render
from django.views.decorators.http import require_safe

from .search import clean_query, search_public, search_working_groups


@require_safe
def search(request):
    query = clean_query(request.GET.get("query"))
    results = search_public(query=query, page_number=request.GET.get("page"), request=request)
    member_results = search_working_groups(user=request.user, query=query, request=request)
    context = {"search_query": query, "search_results": results, "member_results": member_results}
    return render(request, "home/search.html", context)


@require_safe
def robots_txt(request):
    return render(request, "home/robots.txt", content_type="text/plain")
