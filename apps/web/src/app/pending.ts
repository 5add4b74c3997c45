// Work this device still holds for the server (the staff's offline queue registers itself here), so sign-out can
// warn without the shell loading the staff's code.
type Counter = () => Promise<number>;
let counter: Counter = () => Promise.resolve(0);

export function registerPendingCounter(next: Counter): void {
  counter = next;
}

export function pendingCount(): Promise<number> {
  return counter();
}
