# Prints, for each failed spec in a TRX file, the first lines of its message and the last lines of its
# output, each cut to a screen's width: CI shows only the end of a long log, where the console
# logger's full report of a failure is long gone. Variables: max (message lines), tail (output lines).
function unescape(s) {
  gsub(/&#xD;|\r/, "", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
  gsub(/&apos;/, "'", s); gsub(/&amp;/, "\\&", s)
  return length(s) > 160 ? substr(s, 1, 157) "..." : s
}
function flush_output(   i, from) {
  from = kept > tail ? kept - tail : 0
  if (kept > 0) print "  output (last " (kept - from) " of " kept " lines):"
  for (i = from; i < kept; i++) print "    " out[i % tail]
  kept = 0
}
/<UnitTestResult / {
  failed = ($0 ~ /outcome="Failed"/)
  if (failed) { name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name); print "--- why it failed: " unescape(name) }
}
failed && /<StdOut>/ { inout = 1; sub(/.*<StdOut>/, "") }
inout {
  end = sub(/<\/StdOut>.*/, "")
  out[kept % tail] = unescape($0); kept++
  if (end) inout = 0
  next
}
failed && /<Message>/ { inmsg = 1; lines = 0; sub(/.*<Message>/, "") }
inmsg {
  end = sub(/<\/Message>.*/, "")
  if (lines < max) print "  " unescape($0); else if (lines == max) print "  ..."
  lines++
  if (end) inmsg = 0
}
failed && /<\/UnitTestResult>/ { flush_output(); failed = 0 }
