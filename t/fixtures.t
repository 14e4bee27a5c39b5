# The suite goes red when a fixture it relies on is broken (issue 7): the
# negative cases of t/sections.t pin their exact status, so a broken
# t/htdocs/s/off/.htaccess (every request there answered 500) must make
# t/sections.t fail.  The fixture is restored whatever happens.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil;
use SeeOther::Util qw(slurp);

plan tests => 3;

my $fixture = "$FindBin::Bin/htdocs/s/off/.htaccess";
my $good = slurp($fixture);
die "cannot read $fixture\n" unless length $good;

sub write_fixture {
    open my $fh, '>', $fixture or die "$fixture: $!";
    print $fh $_[0];
    close $fh or die "$fixture: $!";
}
END { write_fixture($good) if defined $good }

# Run t/sections.t against the running server; its TAP summary counts.
sub run_sections {
    my $out = `$^X -I$FindBin::Bin/lib $FindBin::Bin/sections.t 2>&1`;
    my $failed = () = $out =~ /^not ok /mg;
    my $passed = () = $out =~ /^ok /mg;
    return ($passed, $failed);
}

my ($passed, $failed) = run_sections();
ok t_cmp($failed, 0, 't/sections.t passes with its fixtures intact');

write_fixture($good . "SeeOtherNoSuchDirective x\n");
($passed, $failed) = run_sections();
ok t_cmp($failed, 4,
         'with s/off/.htaccess broken, its 4 cases there fail (500, '
         . 'not the status or Location they pin)');
write_fixture($good);
($passed, $failed) = run_sections();
ok t_cmp($failed, 0, 'restored: t/sections.t passes again');
