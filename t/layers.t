# The module's object files call each other only downward (issue 7):
# scripts/layer-graph lists who uses whose symbols; every edge must go to
# a lower layer (or, within the pure units and the model layer, to a file
# named below).
use strict;
use warnings FATAL => 'all';
use FindBin;
use Test::More;

my %rank = (
    mod_see_other => 4,
    so_config => 3, so_answer => 3, so_complete => 3,
    so_model => 2, so_cache => 2,
    map { $_ => 1 } qw(so_uri so_index so_template so_map so_accept so_note),
);
# the edges allowed inside one layer
my %sideways = map { $_ => 1 } ('so_cache -> so_model',
                                'so_template -> so_uri');

my $out = `$FindBin::Bin/../scripts/layer-graph 2>&1`;
is $? >> 8, 0, 'layer-graph finds no cycle' or diag $out;
my @edges = grep { /->/ } split /\n/, $out;
ok @edges >= 10, 'the graph has edges (' . scalar(@edges) . ')';
for my $e (@edges) {
    my ($from, $to) = $e =~ /^(\S+) -> (\S+)$/ or next;
    ok exists $rank{$from} && exists $rank{$to}, "$e: known files"
        or next;
    ok $rank{$from} > $rank{$to} || $sideways{$e}, "$e points down";
}
# the pure units need nothing above them
ok !(grep { /^(\S+) -> / && $rank{$1} == 1 && !$sideways{$_} } @edges),
    'pure units call only pure units';
done_testing;
