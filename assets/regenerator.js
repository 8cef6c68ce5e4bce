/* The one part of Babel's polyfill that Dash's own scripts still call, in place of the polyfill.
 *
 * Dash lists its 36 kB Babel polyfill (deps/polyfill@7: core-js and regenerator-runtime, for browsers
 * without ES2015+) on every page; the dashboard leaves it out (dashboard/app/app.py). Every browser that
 * draws the dashboard's WebGL charts has all of core-js natively. What remains is one small async function,
 * compiled for old browsers, in dash-renderer and in dash_core_components (the loader of lazy components
 * such as the graph and the dropdown): it calls the global regeneratorRuntime's mark() and wrap() for a
 * generator without try/catch. Without it the lazy components would never report ready and no callback
 * would run. tests/test_app_http.py checks that Dash's scripts call no more of regeneratorRuntime than this.
 *
 * The generator protocol as regenerator-runtime runs it: the compiled function is a state machine
 * (context.next is the step to run; returning a value with context.next set is a yield; context.stop()
 * ends it), driven here by next(), throw() and return().
 */
(function () {
  "use strict";
  if (window.regeneratorRuntime) { return; }
  var CONTINUE = {};  // what abrupt() returns: run the next step at once, yielding nothing

  function wrap(inner, outer, self, tryLocations) {
    if (tryLocations) { throw new Error("regeneratorRuntime: try/catch in a generator is not supported here"); }
    var context = {
      prev: 0, next: 0, sent: undefined, done: false, rval: undefined,
      stop: function () { this.done = true; return this.rval; },
      abrupt: function (type, arg) {
        if (type === "throw") { throw arg; }
        if (type === "return") { this.rval = arg; this.next = "end"; } else { this.next = arg; }  // break, continue
        return CONTINUE;
      }
    };
    function run(value) {
      if (context.done) { return {value: undefined, done: true}; }
      context.sent = value;
      try {
        for (;;) {
          var result = inner.call(self, context);
          if (result !== CONTINUE) { return {value: result, done: context.done}; }
        }
      } catch (error) {
        context.done = true;
        throw error;
      }
    }
    return {
      next: run,
      "throw": function (error) { context.done = true; throw error; },
      "return": function (value) { context.done = true; return {value: value, done: true}; }
    };
  }

  window.regeneratorRuntime = {mark: function (fn) { return fn; }, wrap: wrap};
})();
