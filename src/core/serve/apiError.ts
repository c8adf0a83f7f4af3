/** An error the eval API answers with: an HTTP status and a JSON `detail`, the shape the Llama Stack client reads. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly detail: string) {
    super(detail);
  }
}
