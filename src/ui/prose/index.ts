// Markdown for the terminal: layoutProse lays a lesson's Markdown out in lines of styled
// spans; <Prose> draws them.
export { layoutProse } from './layout-prose.js';
export { Prose, ProseLines, spanLook } from './prose.js';
export { wrapSpans } from './wrap-spans.js';
export { lineText, lineWidth, type HeadingLevel, type ProseLine, type ProseSpan, type ProseStyle } from './prose-line.js';
