"""Reading an app's source without running it: JavaScript/TypeScript trees, static values, Vue
single-file components, uni-app conditional compilation, JSON and YAML with line numbers.

Generic on purpose: the SDK-config reader (`vendors.easemob.locate`) and the source scan (`scan`) both
read through these modules, so there is one static evaluator with one set of budgets. Import the
submodules directly; this face stays empty so commands that read no source never load a parser.
"""
