import { Clock } from '../../common/clock';
import { DAY_MS, EvaluationCounter } from './evaluation-counter';

class MovedClock extends Clock {
  at = Date.parse('2026-12-02T23:59:59.000Z');
  override now(): number {
    return this.at;
  }
}

const SET_A = [{ key: 'a_flag' }, { key: 'b_flag' }];
const SET_B = [{ key: 'a_flag' }, { key: 'b_flag' }, { key: 'c_flag' }];

describe('EvaluationCounter', () => {
  it('counts per UTC day, answers of every flag apart from answers of one, and drains to nothing', () => {
    const clock = new MovedClock();
    const counter = new EvaluationCounter(clock);
    counter.countAll(SET_A);
    counter.countOne('jmap_native_v2');
    clock.at += 2000; // past midnight
    counter.countAll(SET_A);
    counter.countAll(SET_B);
    counter.countAll(SET_B);
    const day = Math.floor(Date.parse('2026-12-02T12:00:00.000Z') / DAY_MS);
    const drained = counter.drain();
    expect(drained.map((c) => [c.day, [...c.all.values()].map((set) => [set.flags, set.count]), [...c.one.entries()]])).toEqual([
      [day, [[SET_A, 1]], [['jmap_native_v2', { count: 1, lastAt: Date.parse('2026-12-02T23:59:59.000Z') }]]],
      // Counted per flag set: c_flag did not exist for the first answer of the day.
      [day + 1, [[SET_A, 1], [SET_B, 2]], []],
    ]);
    expect(drained[1]!.all.get(SET_B)!.lastAt).toBe(clock.at);
    expect(counter.drain()).toEqual([]);
  });

  it('keeps running totals per flag across drains (the metrics counter never goes down)', () => {
    const clock = new MovedClock();
    const counter = new EvaluationCounter(clock);
    counter.countAll(SET_A);
    counter.countAll(SET_B);
    counter.countOne('a_flag');
    expect(Object.fromEntries(counter.totals())).toEqual({ a_flag: 3, b_flag: 2, c_flag: 1 });
    counter.drain();
    expect(Object.fromEntries(counter.totals())).toEqual({ a_flag: 3, b_flag: 2, c_flag: 1 });
    clock.at += 2000; // another day
    counter.countAll(SET_B);
    counter.countOne('d_flag');
    expect(Object.fromEntries(counter.totals())).toEqual({ a_flag: 4, b_flag: 3, c_flag: 2, d_flag: 1 });
    counter.drain();
    expect(Object.fromEntries(counter.totals())).toEqual({ a_flag: 4, b_flag: 3, c_flag: 2, d_flag: 1 });
  });
});
