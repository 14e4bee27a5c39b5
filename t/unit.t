# The C unit tests (t/unit/test_*, Check with TAP output), as one TAP
# stream, so that `make test` has one summary.
use strict;
use warnings FATAL => 'all';
use FindBin;

my @bins = sort grep { -x && !/\.c$/ } glob "$FindBin::Bin/unit/test_*";
my ($n, @lines) = (0);
for my $bin (@bins) {
    my $name = ($bin =~ m{([^/]+)$})[0];
    my @out = `$bin 2>&1`;
    my $rc = $? >> 8;
    my $seen = 0;
    for (@out) {
        next unless /^(not ok|ok)\s+\d+\s*-?\s*(.*)$/;
        $seen++;
        push @lines, sprintf "%s %d - %s: %s\n", $1, ++$n, $name, $2;
    }
    # a binary that crashed or printed no test must not pass quietly
    push @lines, sprintf "%s %d - %s exited %d after %d tests\n",
        ($rc == 0 && $seen ? 'ok' : 'not ok'), ++$n, $name, $rc, $seen;
}
print "1..", ($n || 1), "\n";
print @lines ? @lines : "not ok 1 - no unit test binaries built\n";
