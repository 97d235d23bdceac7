/**
 * A node of a {@link LinkedList}. The object itself is linked, with no wrapper per entry: linking
 * and unlinking allocate nothing, and an unlinked node is garbage as soon as its owner lets go.
 * Only the list touches these fields.
 */
export abstract class ListNode<N extends ListNode<N>> {
  prev: N | undefined = undefined;
  next: N | undefined = undefined;
  /** Whether the node is in a list. */
  linked = false;
}

/**
 * An intrusive doubly linked list, for the hot paths that keep per-call objects in order (a store's
 * call deadlines, the lock's lease renewals): O(1) append, insertion after a known node and
 * removal, where an array would have to be swept or spliced.
 */
export class LinkedList<N extends ListNode<N>> {
  head: N | undefined = undefined;
  tail: N | undefined = undefined;

  /** Links `node`, which must be in no list, at the tail. */
  push(node: N): void {
    this.insertAfter(this.tail, node);
  }

  /** Links `node`, which must be in no list, right after `before`, or at the head when `before` is `undefined`. */
  insertAfter(before: N | undefined, node: N): void {
    const after = before === undefined ? this.head : before.next;
    node.prev = before;
    node.next = after;
    node.linked = true;
    if (before === undefined) this.head = node;
    else before.next = node;
    if (after === undefined) this.tail = node;
    else after.prev = node;
  }

  /** Unlinks `node`; does nothing if it is in no list. */
  remove(node: N): void {
    if (!node.linked) return;
    node.linked = false;
    const { prev, next } = node;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    node.prev = undefined;
    node.next = undefined;
  }
}
