/** Most calls one batched tRPC request may carry; the client's httpBatchLink uses the same. */
export const MAX_BATCH_SIZE = 20;
