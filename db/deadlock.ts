/** Postgres aborted the transaction to break a deadlock (40P01): running it again is safe and usually succeeds. */
export const isDeadlock = (error: unknown): boolean => {
  const e = error as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code === '40P01' || e?.cause?.code === '40P01';
};

/** Runs a whole transaction, again (up to `retries` times) when Postgres chose it as a deadlock's victim. */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, retries = 3): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= retries) throw error;
    }
  }
}
