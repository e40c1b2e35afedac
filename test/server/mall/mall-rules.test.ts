import {
  browseOrder,
  isFinal,
  needsAddress,
  nextState,
  pointsTotal,
  redemptionActions,
  redemptionStates,
  remainingQuota,
  sourcesOf,
  targetOf,
} from '../../../server/src/modules/mall/mall-rules';

describe('redemption state transitions', () => {
  it('allows pending -> fulfilled and pending -> cancelled, and nothing else', () => {
    const allowed = redemptionStates.flatMap((state) =>
      redemptionActions.map((action) => [state, action, nextState(state, action)] as const).filter(([, , to]) => to !== null),
    );
    expect(allowed).toEqual([
      ['pending', 'fulfil', 'fulfilled'],
      ['pending', 'cancel', 'cancelled'],
    ]);
  });

  it('makes fulfilled and cancelled final: a fulfilled order cannot be cancelled, a cancelled one not fulfilled', () => {
    expect(nextState('fulfilled', 'cancel')).toBeNull();
    expect(nextState('cancelled', 'fulfil')).toBeNull();
    expect(nextState('cancelled', 'cancel')).toBeNull();
    expect(isFinal('pending')).toBe(false);
    expect(isFinal('fulfilled')).toBe(true);
    expect(isFinal('cancelled')).toBe(true);
  });

  it('gives the conditional update its source states and target', () => {
    expect(sourcesOf('cancel')).toEqual(['pending']);
    expect(sourcesOf('fulfil')).toEqual(['pending']);
    expect(targetOf('cancel')).toBe('cancelled');
    expect(targetOf('fulfil')).toBe('fulfilled');
  });
});

describe('mall arithmetic and catalogue order', () => {
  it('counts the remaining quota (null = unlimited) and the total price', () => {
    expect(remainingQuota(null, 7)).toBeNull();
    expect(remainingQuota(3, 1)).toBe(2);
    expect(remainingQuota(3, 5)).toBe(0);
    expect(pointsTotal(120, 3)).toBe(360);
  });

  it('needs an address for physical goods only', () => {
    expect(needsAddress('physical')).toBe(true);
    expect(needsAddress('virtual')).toBe(false);
  });

  it('lists products in stock first, then newest first', () => {
    const products = [
      { id: 1, stock: 5 },
      { id: 2, stock: 0 },
      { id: 3, stock: 1 },
      { id: 4, stock: 0 },
    ];
    expect([...products].sort(browseOrder).map((p) => p.id)).toEqual([3, 1, 4, 2]);
  });

  it('places products as the operator ordered them, within in stock and sold out', () => {
    const products = [
      { id: 1, stock: 5, sortOrder: 2 },
      { id: 2, stock: 5, sortOrder: 1 },
      { id: 3, stock: 5 },
      { id: 4, stock: 0, sortOrder: -1 },
      { id: 5, stock: 5, sortOrder: 1 },
    ];
    expect([...products].sort(browseOrder).map((p) => p.id)).toEqual([3, 5, 2, 1, 4]);
  });
});
