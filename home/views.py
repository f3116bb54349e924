from django.shortcuts import render
from django.views.decorators.http import require_safe

from .search import clean_query, search_public


@require_safe
def search(request):
    query = clean_query(request.GET.get("query"))
    results = search_public(query=query, page_number=request.GET.get("page"), request=request)
    return render(request, "home/search.html", {"search_query": query, "search_results": results})


@require_safe
def robots_txt(request):
    return render(request, "home/robots.txt", content_type="text/plain")
