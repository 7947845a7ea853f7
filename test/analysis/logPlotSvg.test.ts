import { expect } from "chai";
import { renderLogPlotSvg, type PlotSeries } from "../../src/analysis/logPlotSvg";
import { xmlProblems } from "./xmlWellFormed";

const line: PlotSeries = {
  label: "a",
  color: "#000000",
  points: [
    [0, 1],
    [1, 0.01],
    [2, 1e-4],
  ],
};

describe("renderLogPlotSvg", () => {
  it("labels every major decade from the lowest y up to 10^0", () => {
    const svg = renderLogPlotSvg({ title: "t", xLabel: "x", yLabel: "y", series: [line] });
    expect(xmlProblems(svg)).to.deep.equal([]);
    for (const decade of ["\u22124", "\u22123", "\u22122", "\u22121", "0"]) expect(svg).to.contain(`>${decade}</tspan>`);
  });

  it("places y on a log scale: equal ratios get equal vertical distances", () => {
    const svg = renderLogPlotSvg({ title: "t", xLabel: "x", yLabel: "y", series: [line] });
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].slice(0, 3).map((m) => Number(m[1]));
    expect(ys[1] - ys[0]).to.be.closeTo(ys[2] - ys[1], 0.02);
    expect(ys[1]).to.be.above(ys[0]);
  });

  it("escapes markup in titles and labels", () => {
    const svg = renderLogPlotSvg({ title: "a < b & c", xLabel: "x", yLabel: "y", series: [{ ...line, label: '"q" > 0' }] });
    expect(xmlProblems(svg)).to.deep.equal([]);
    expect(svg).to.contain("a &lt; b &amp; c").and.contain("&quot;q&quot; &gt; 0");
  });

  it("throws a RangeError naming the series for a y that a log axis cannot show", () => {
    for (const y of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => renderLogPlotSvg({ title: "t", xLabel: "x", yLabel: "y", series: [{ ...line, label: "bad", points: [[0, y]] }] })).to.throw(
        RangeError,
        /series "bad" has unplottable point/,
      );
    }
  });

  it("throws a RangeError when there is nothing to draw", () => {
    expect(() => renderLogPlotSvg({ title: "t", xLabel: "x", yLabel: "y", series: [] })).to.throw(RangeError, /at least one series/);
    expect(() => renderLogPlotSvg({ title: "t", xLabel: "x", yLabel: "y", series: [{ ...line, points: [] }] })).to.throw(RangeError, /has no points/);
  });
});
