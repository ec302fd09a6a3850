import { describe, expect, it } from "vitest";
import { bucketPoint, keptReading } from "./series";

const stretch = { lowC: -20, lowAt: 2, highC: -10, highAt: 1 };

describe("a thinned series", () => {
  it("keeps the warmest reading for goods with only a ceiling and the coldest for goods with only a floor", () => {
    expect(keptReading({ minC: null, maxC: -18 }, { min: -20, max: -10 })).toBe("highest");
    expect(keptReading({ minC: 2, maxC: null }, { min: 1, max: 5 })).toBe("lowest");
    expect(bucketPoint(stretch, "highest")).toEqual({ at: 1, celsius: -10 });
    expect(bucketPoint(stretch, "lowest")).toEqual({ at: 2, celsius: -20 });
  });

  it("otherwise keeps the reading furthest from the range's middle, or from the middle of what was read", () => {
    expect(keptReading({ minC: 0, maxC: 7 }, { min: -5, max: 20 })).toEqual({ furthestFrom: 3.5 });
    expect(keptReading(null, { min: -5, max: 20 })).toEqual({ furthestFrom: 7.5 });
    expect(bucketPoint({ lowC: 1, lowAt: 5, highC: 9, highAt: 6 }, { furthestFrom: 3.5 })).toEqual({ at: 6, celsius: 9 });
    expect(bucketPoint({ lowC: -1, lowAt: 5, highC: 7, highAt: 6 }, { furthestFrom: 3.5 })).toEqual({ at: 5, celsius: -1 });
  });

  it("keeps the earlier of two readings equally far from the middle", () => {
    expect(bucketPoint({ lowC: 2, lowAt: 9, highC: 5, highAt: 4 }, { furthestFrom: 3.5 })).toEqual({ at: 4, celsius: 5 });
    expect(bucketPoint({ lowC: 2, lowAt: 4, highC: 5, highAt: 4 }, { furthestFrom: 3.5 })).toEqual({ at: 4, celsius: 2 });
  });
});
