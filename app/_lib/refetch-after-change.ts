import type { QueryClient, QueryFilters } from "@tanstack/react-query";

/**
 * Refetches what the server just changed. react-query joins an invalidation
 * to a first fetch still in flight (a query with no data yet) instead of
 * starting another, and that fetch's answer may predate the change: a file
 * uploaded while the tree's first listing loaded stayed hidden. Cancelling
 * in-flight fetches first makes the refetch start after the change.
 */
export async function refetchAfterChange(queryClient: QueryClient, filters: QueryFilters): Promise<void> {
  await queryClient.cancelQueries(filters);
  await queryClient.invalidateQueries(filters);
}
