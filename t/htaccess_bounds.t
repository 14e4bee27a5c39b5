# Hostile .htaccess files (t/conf/htaccess_bounds.conf.in: AllowOverride
# FileInfo under /hb/, each tenant a directory of its own).
#
# Each case gives its owner a clear error (500, and the reason in the
# error_log) within a bounded time, while another tenant (/hb/other/) and
# the next request are unaffected:
# - 10,000 rules in one .htaccess (it works);
# - a catastrophic regex, ^/hb/re/(a+)+$, and the issue's 100 rules
#   ^/hb/re8/(a+)+x{0,N}$, against a long path of a's ending in b: PCRE2's
#   match limit (100,000) stops it, the error_log names the rule;
# - an overlong .htaccess line (httpd's own limit);
# - a map that is a FIFO, a directory, a device, a symlink out of the tree
#   (/etc/passwd, /dev/zero), a map of 50 MB (more than 16 MiB);
# - map errors: a NUL byte, a target longer than 8180 bytes, a refused
#   scheme; a key given twice (a warning naming both lines);
# - the FIFO swap race: a tenant renames a FIFO and a regular file into its
#   map's name in a loop for 5 s (a text map; then 4 s for a DBM map);
#   another tenant's requests keep being answered, the racing tenant gets
#   only 303 or 500;
# - AllowOverride None + AllowOverrideList SeeOther SeeOtherMatch.
# Everything under t/htdocs/hb/ is written here and removed at the end.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use Fcntl ();
use File::Path ();
use POSIX ();
use Time::HiRes ();

use SeeOther::Raw;
use SeeOther::Util qw(error_log_size error_log_since);

plan tests => 75;

local $Apache::TestRequest::RedirectOK = 0;
my $hp = Apache::TestRequest::hostport();
my $o  = "http://$hp";
my $docroot = Apache::Test::vars('documentroot');
my $hb = "$docroot/hb";

File::Path::rmtree($hb);
mkdir $hb or die "$hb: $!";
chmod 0755, $hb;

sub write_file {
    my ($file, $text) = @_;
    open my $fh, '>', $file or die "$file: $!";
    binmode $fh;
    print $fh $text;
    close $fh or die "$file: $!";
    chmod 0644, $file;
}

# A tenant: t/htdocs/hb/$name with its .htaccess; returns the directory.
sub tenant {
    my ($name, $htaccess) = @_;
    my $dir = "$hb/$name";
    mkdir $dir or die "$dir: $!";
    chmod 0755, $dir;
    write_file("$dir/.htaccess", $htaccess) if defined $htaccess;
    return $dir;
}

# GET $path on a raw socket within $secs seconds: (status or an error
# text, Location or '', seconds taken).
sub fetch {
    my ($path, $secs) = @_;
    $secs ||= 10;
    my $t0 = Time::HiRes::time();
    my $r = eval {
        local $SIG{ALRM} = sub { die "no answer within $secs s\n" };
        alarm $secs;
        my $c = SeeOther::Raw->connect($hp, timeout => $secs);
        $c->send($c->request_head(GET => $path, Connection => 'close'));
        my $res = $c->read_final('GET');
        alarm 0;
        $res;
    };
    alarm 0;
    my $took = Time::HiRes::time() - $t0;
    return ("no answer: $@", '', $took) unless $r;
    return ($r->{status}, $r->header('Location') // '', $took);
}

# The other tenant: a rule and a map of its own, used between the cases.
my $other = tenant('other', "SeeOther /hb/other/p /hb/other/q\n"
                            . "SeeOtherMap /hb/other/m ids.txt\n");
write_file("$other/ids.txt", "k /hb/other/from-map\n");

sub other_ok {
    my ($after) = @_;
    my ($s1, $l1) = fetch('/hb/other/p');
    my ($s2, $l2) = fetch('/hb/other/m/k');
    ok t_cmp("$s1 $l1 | $s2 $l2",
             "303 $o/hb/other/q | 303 $o/hb/other/from-map",
             "after $after: another tenant's rule and map still answer");
}

# A case that must answer 500 with $reason (a regex) in the error_log.
sub refused {
    my ($what, $path, $reason, $secs) = @_;
    my $offset = error_log_size();
    my ($status, undef, $took) = fetch($path, $secs || 10);
    ok t_cmp($status, 500, "$what: GET $path answers 500");
    ok t_cmp(error_log_since($offset), $reason,
             "$what: ... the error_log gives the reason");
    return $took;
}

# ---- 10,000 rules -------------------------------------------------------

{
    my $dir = tenant('many', join '', map { "SeeOther /hb/many/r$_ /hb/many/t$_\n" }
                                     1 .. 10_000);
    my @got = map { join ' ', (fetch("/hb/many/r$_", 30))[0, 1] } 1, 5000, 10_000;
    ok t_cmp("@got", join(' ', map { "303 $o/hb/many/t$_" } 1, 5000, 10_000),
             '10,000 rules: the first, middle and last answer 303');
    my ($s, undef, $took) = fetch('/hb/many/none', 30);
    ok t_cmp($s, 404, '10,000 rules: a path none names answers 404');
    t_debug(sprintf '10,000 rules: a request took %.3f s', $took);
    ok $took < 5;
    other_ok('10,000 rules');
}

# ---- regex work ---------------------------------------------------------

my $gaveup = qr/the regex gave up on %s \(match limit exceeded[^)]*; the limits are 100000 steps and 10000 nested groups\); answering 500/;
my $long_a = '/hb/%s/' . ('a' x 200) . 'b';
{
    my $dir = tenant('re', "SeeOther /hb/re/ok /hb/re/fine\n"
                         . "SeeOtherMatch ^/hb/re/(a+)+\$ /x\n");
    my $path = sprintf $long_a, 're';
    my $re = sprintf "SeeOtherMatch rule \Q$dir\E/.htaccess:2: $gaveup",
                     quotemeta $path;
    my $took = refused('catastrophic regex ^/hb/re/(a+)+$', $path, qr/$re/);
    t_debug(sprintf 'catastrophic regex: answered in %.3f s', $took);
    ok $took < 10;
    my ($s, $l) = fetch('/hb/re/ok');
    ok t_cmp("$s $l", "303 $o/hb/re/fine",
             'catastrophic regex: the next request of that tenant answers');
    other_ok('a catastrophic regex');
}
{
    my $dir = tenant('re8', join '', map { "SeeOtherMatch ^/hb/re8/(a+)+x{0,$_}\$ /x\n" }
                                    1 .. 100);
    my $path = sprintf $long_a, 're8';
    my $re = sprintf "SeeOtherMatch rule \Q$dir\E/.htaccess:1: $gaveup",
                     quotemeta $path;
    my $took = refused('100 rules ^/hb/re8/(a+)+x{0,N}$', $path, qr/$re/);
    t_debug(sprintf '100 catastrophic rules: answered in %.3f s', $took);
    ok $took < 10;
    other_ok('100 catastrophic regexes');
}
# the same regex in the server's own rules is not the tenant's: a short
# path that does match is answered as usual
{
    my $dir = tenant('re2', "SeeOtherMatch ^/hb/re2/(a+)+\$ /hb/re2/done\n");
    my ($s, $l) = fetch('/hb/re2/aaaa');
    ok t_cmp("$s $l", "303 $o/hb/re2/done",
             'the catastrophic regex on a path it matches: 303');
}

# ---- overlong lines -----------------------------------------------------

{
    # httpd reads .htaccess lines into a buffer of MAX_STRING_LEN (8192)
    # bytes: a line of 8,191 bytes and its LF is read, a longer one is
    # httpd's error, not the module's (comment lines, so that the module's
    # own bound on targets plays no part)
    my $dir = tenant('over', "SeeOther /hb/over/ok /hb/over/fine\n"
                           . '#' . ('x' x 8191) . "\n");
    refused('a .htaccess line of 8,192 bytes', '/hb/over/ok',
            qr/\Q$dir\E\/\.htaccess: Error reading \Q$dir\E\/\.htaccess at line 2: Line too long/);
    my $fits = tenant('overok', "SeeOther /hb/overok/ok /hb/overok/fine\n"
                              . '#' . ('x' x 8190) . "\n");
    my ($s, $l) = fetch('/hb/overok/ok');
    ok t_cmp("$s $l", "303 $o/hb/overok/fine",
             'a .htaccess line of 8,191 bytes is read');
    other_ok('an overlong line');
}

# ---- maps that are not regular files -------------------------------------

my $not_regular = 'not a regular file';
{
    my $dir = tenant('fifo', "SeeOtherMap /hb/fifo/m map.txt\n");
    POSIX::mkfifo("$dir/map.txt", 0644) or die "mkfifo: $!";
    my $took = refused('a map that is a FIFO', '/hb/fifo/m/k',
                       qr/map file \Q$dir\E\/map\.txt: \Q$not_regular\E/, 10);
    t_debug(sprintf 'FIFO map: answered in %.3f s', $took);
    ok $took < 5;
    other_ok('a FIFO map');
}
{
    my $dir = tenant('dir', "SeeOtherMap /hb/dir/m sub\n");
    mkdir "$dir/sub" or die "$dir/sub: $!";
    refused('a map that is a directory', '/hb/dir/m/k',
            qr/map file \Q$dir\E\/sub: \Q$not_regular\E/);
    other_ok('a directory map');
}
{
    my $dir = tenant('dev', "SeeOtherMap /hb/dev/m zero\n");
    # a character device inside the tree (/dev/zero's numbers), if this
    # system lets us make one; else a symlink to it, which must be refused
    # anyway (below)
    my $made = system('mknod', "$dir/zero", 'c', '1', '5') == 0;
    if ($made) {
        refused('a map that is a device', '/hb/dev/m/k',
                qr/map file \Q$dir\E\/zero: \Q$not_regular\E/);
    }
    else {
        skip('mknod is not allowed here', 1) for 1 .. 2;
    }
    other_ok('a device map');
}
my $outside = q{leads outside this .htaccess's directory tree};
{
    my $dir = tenant('link', "SeeOtherMap /hb/link/m passwd\n");
    symlink '/etc/passwd', "$dir/passwd" or die "symlink: $!";
    refused('a map that is a symlink to /etc/passwd', '/hb/link/m/root',
            qr/map file 'passwd' \Q$outside\E, \Q$dir\E\//);
    other_ok('a symlink to /etc/passwd');
}
{
    my $dir = tenant('zero', "SeeOtherMap /hb/zero/m zero\n");
    symlink '/dev/zero', "$dir/zero" or die "symlink: $!";
    my $took = refused('a map that is a symlink to /dev/zero', '/hb/zero/m/k',
                       qr/map file 'zero' \Q$outside\E, \Q$dir\E\//);
    ok $took < 5;
    other_ok('a symlink to /dev/zero');
}
{
    # a symlink to another tenant's map, and a path out with ..
    my $dir = tenant('peer', "SeeOtherMap /hb/peer/m ids.txt\n"
                           . "SeeOtherMap /hb/peer/n ../other/ids.txt\n");
    symlink "$other/ids.txt", "$dir/ids.txt" or die "symlink: $!";
    refused("a map that is a symlink to another tenant's map",
            '/hb/peer/m/k', qr/map file 'ids\.txt' \Q$outside\E/);
}

# ---- a 50 MB map --------------------------------------------------------

{
    my $dir = tenant('big', "SeeOther /hb/big/ok /hb/big/fine\n"
                          . "SeeOtherMap /hb/big/m map.txt\n");
    open my $fh, '>', "$dir/map.txt" or die "$dir/map.txt: $!";
    for my $i (1 .. 5000) {        # 500,000 lines of 100 bytes
        print $fh join '', map { sprintf "k%08d%06d /hb/big/to/%072d\n",
                                         $i, $_, $_ } 1 .. 100;
    }
    close $fh or die "$dir/map.txt: $!";
    chmod 0644, "$dir/map.txt";
    my $size = -s "$dir/map.txt";
    t_debug("the big map holds $size bytes");
    my $took = refused("a map of $size bytes", '/hb/big/m/k0000000100001',
                       qr/map file \Q$dir\E\/map\.txt: $size bytes, more than the 16777216 allowed/);
    ok $took < 5;
    my ($s, $l) = fetch('/hb/big/ok');
    ok t_cmp("$s", 500, "a map of $size bytes: the tenant's other rules wait for it to be fixed (500)");
    unlink "$dir/map.txt";
    other_ok('a 50 MB map');
}

# ---- map contents -------------------------------------------------------

{
    my $dir = tenant('nul', "SeeOtherMap /hb/nul/m map.txt\n");
    write_file("$dir/map.txt", "a /hb/nul/a\nb /hb/nul/b\nc /hb/nul/c\0d\n");
    refused('a map line with a NUL byte', '/hb/nul/m/a',
            qr/\Q$dir\E\/map\.txt.*line 3: a NUL byte/);
}
{
    my $dir = tenant('longmap', "SeeOtherMap /hb/longmap/m map.txt\n");
    write_file("$dir/map.txt", "a /hb/longmap/a\nlong /" . ('x' x 8200) . "\n");
    refused('a map target of 8201 bytes', '/hb/longmap/m/a',
            qr/\Q$dir\E\/map\.txt, line 2: target '\/x{39}\.\.\.' is 8201 bytes long; a Location may hold at most 8180/);
}
{
    # the bound is on the Location as sent: an absolute one holds the
    # scheme and authority too
    my $dir = tenant('fitmap', "SeeOtherMap /hb/fitmap/m map.txt\n");
    my $fit = 8180 - length $o;
    write_file("$dir/map.txt", "a /" . ('x' x ($fit - 1)) . "\n"
                               . "b /" . ('x' x $fit) . "\n");
    my ($s, $l) = fetch('/hb/fitmap/m/a');
    ok t_cmp($s . ' ' . length $l, '303 8180',
             'a map target whose Location is 8180 bytes: 303');
    my $offset = error_log_size();
    ($s, $l) = fetch('/hb/fitmap/m/b');
    ok t_cmp($s, 500, 'a map target whose Location would be 8181 bytes: 500');
    ok t_cmp(error_log_since($offset),
             qr{SeeOther rule \Q$dir\E/map\.txt:2: the Location for /hb/fitmap/m/b would be 8181 bytes, more than the 8180 a header may hold; answering 500},
             '... and the error_log names the rule and the bound');
}
{
    my $dir = tenant('jsmap', "SeeOtherMap /hb/jsmap/m map.txt\n");
    write_file("$dir/map.txt", "a /hb/jsmap/a\nb JavaScript:alert(1)\n");
    refused('a map target javascript:', '/hb/jsmap/m/a',
            qr/\Q$dir\E\/map\.txt, line 2: target 'JavaScript:alert\(1\)' is refused: javascript:, vbscript: and data: URIs are never sent as a redirect/);
}
{
    my $dir = tenant('js', "SeeOther /hb/js/a data:text/html;base64,PHNjcmlwdD4=\n");
    refused('a .htaccess target data:', '/hb/js/a',
            qr/\Q$dir\E\/\.htaccess: SeeOther.*is refused: javascript:, vbscript: and data: URIs/);
}
{
    my $dir = tenant('dup', "SeeOtherMap /hb/dup/m map.txt\n");
    write_file("$dir/map.txt", "k /hb/dup/first\nj /hb/dup/j\nk /hb/dup/second\n");
    my $offset = error_log_size();
    my ($s, $l) = fetch('/hb/dup/m/k');
    ok t_cmp("$s $l", "303 $o/hb/dup/first",
             'a map key given twice: the first one is used');
    ok t_cmp(error_log_since($offset),
             qr/\Q$dir\E\/map\.txt, line 3: key 'k' was given on line 1 already; the first one is used/,
             '... and the error_log warns, naming both lines');
}

# a redirect loop written in .htaccess: 500 at request time, naming the
# .htaccess line
{
    my $dir = tenant('loop', "SeeOther /hb/loop/ok /hb/loop/fine\n"
                           . "SeeOtherMatch ^/hb/loop/a/(.*)\$ /hb/loop/a/\$1\n");
    refused('a loop in .htaccess', '/hb/loop/a/x',
            qr/SeeOther rule \Q$dir\E\/\.htaccess:2: \/hb\/loop\/a\/x would be sent to itself \(a redirect loop\); answering 500 instead/);
    my ($s, $l) = fetch('/hb/loop/ok');
    ok t_cmp("$s $l", "303 $o/hb/loop/fine",
             'a loop in .htaccess: the tenant\'s other rules answer');
}

# a comment after a one-argument rule lands in the target position
{
    my $dir = tenant('cmt', "SeeOther /hb/cmt/done.html #comment\n");
    refused('a .htaccess comment after a rule (a fragment-only target)',
            '/hb/cmt/x',
            qr/\Q$dir\E\/\.htaccess: SeeOther: target '#comment' is only a fragment: every GET would be sent to itself \(a redirect loop\)\.  A comment must stand on a line of its own/);
}

# AllowOverride None + AllowOverrideList SeeOther SeeOtherMatch
{
    my $dir = tenant('list', "SeeOther /hb/list/a /hb/list/b\n"
                           . "SeeOtherMatch ^/hb/list/re/(.*)\$ /hb/list/to/\$1\n");
    my @got = map { join ' ', (fetch($_))[0, 1] } '/hb/list/a', '/hb/list/re/x';
    ok t_cmp("@got", "303 $o/hb/list/b 303 $o/hb/list/to/x",
             'AllowOverrideList SeeOther SeeOtherMatch: both work');
    tenant('list/map', "SeeOtherMap /hb/list/map/m ids.txt\n");
    write_file("$dir/map/ids.txt", "k /x\n");
    refused('AllowOverrideList: SeeOtherMap not listed', '/hb/list/map/m/k',
            qr/\Q$dir\E\/map\/\.htaccess: SeeOtherMap not allowed here/);
    tenant('list/alias', "Redirect 303 /hb/list/alias/a /x\n");
    refused('AllowOverrideList: Redirect (mod_alias) not listed',
            '/hb/list/alias/a',
            qr/\Q$dir\E\/alias\/\.htaccess: Redirect not allowed here/);
}

# ---- the FIFO swap races ------------------------------------------------

# A tenant whose map is, in turn, a FIFO and a regular file (renamed into
# its name in a tight loop) for $secs seconds, while it asks for its map
# and another tenant asks for its own.  $file is the map's name, $src the
# regular file renamed in, $sleep the racer's pause between renames.
sub swap_race {
    my ($what, $dir, $path, $file, $src, $secs, $sleep) = @_;
    POSIX::mkfifo("$dir/fifo.src", 0644) or die "mkfifo: $!";
    my $racer = fork // die "fork: $!";
    if (!$racer) {
        my $end = Time::HiRes::time() + $secs;
        while (Time::HiRes::time() < $end) {
            link "$dir/fifo.src", "$dir/f.tmp" and rename "$dir/f.tmp", "$dir/$file";
            Time::HiRes::sleep($sleep) if $sleep;
            link $src, "$dir/r.tmp" and rename "$dir/r.tmp", "$dir/$file";
            Time::HiRes::sleep($sleep) if $sleep;
        }
        POSIX::_exit(0);
    }
    # the racing tenant's own requests, in a child: counts of each status
    pipe my $rd, my $wr or die "pipe: $!";
    my $asker = fork // die "fork: $!";
    if (!$asker) {
        close $rd;
        my %seen;
        my $end = Time::HiRes::time() + $secs;
        while (Time::HiRes::time() < $end) {
            my ($s) = fetch($path, 10);
            $seen{$s =~ /^\d+$/ ? $s : 'no answer'}++;
        }
        print $wr join(' ', map { "$_=$seen{$_}" } sort keys %seen), "\n";
        close $wr;
        POSIX::_exit(0);
    }
    close $wr;
    # another tenant, meanwhile: every request answered within 5 s
    my ($answered, $failed, $slowest) = (0, 0, 0);
    my $end = Time::HiRes::time() + $secs;
    while (Time::HiRes::time() < $end) {
        my ($s, $l, $took) = fetch('/hb/other/m/k', 5);
        $slowest = $took if $took > $slowest;
        if ($s eq '303' && $l eq "$o/hb/other/from-map") { $answered++ }
        else { $failed++; t_debug("other tenant during the race: $s $l") }
    }
    waitpid $racer, 0;
    my $racing = <$rd> // '';
    chomp $racing;
    waitpid $asker, 0;
    # a reader blocked on the FIFO (there must be none) would be let go
    for (1 .. 3) {
        if (sysopen my $w, "$dir/fifo.src",
                    Fcntl::O_WRONLY() | Fcntl::O_NONBLOCK()) {
            close $w;
        }
    }
    t_debug(sprintf '%s: other tenant %d answered, %d failed, slowest '
                    . '%.3f s; racing tenant %s',
            $what, $answered, $failed, $slowest, $racing);
    ok t_cmp($failed, 0,
             "$what: another tenant's requests all answered "
             . "($answered in ${secs} s, slowest "
             . sprintf('%.2f s)', $slowest));
    ok $answered > 10;
    ok t_cmp($racing, qr/^(?:(?:303|500)=\d+ ?)+$/,
             "$what: the racing tenant gets only 303 or 500");
    ok t_cmp($racing, qr/\d/, '... and gets answers');
    other_ok($what);
}

{
    my $dir = tenant('race', "SeeOtherMap /hb/race/m map.txt\n");
    write_file("$dir/reg.src", "k /hb/race/k\n");
    write_file("$dir/map.txt", "k /hb/race/k\n");
    swap_race('FIFO swap race, text map', $dir, '/hb/race/m/k', 'map.txt',
              "$dir/reg.src", 5, 0);
}
{
    # a DBM map is opened again when it changes (looked at once a second)
    my $dir = tenant('racedbm', "SeeOtherMap /hb/racedbm/m dbm:x.dbm\n");
    system('httxt2dbm', '-i', "$hb/other/ids.txt", '-o', "$dir/reg.dbm") == 0
        or die "httxt2dbm failed\n";
    chmod 0644, "$dir/reg.dbm";
    link "$dir/reg.dbm", "$dir/x.dbm" or die "link: $!";
    swap_race('FIFO swap race, DBM map', $dir, '/hb/racedbm/m/k', 'x.dbm',
              "$dir/reg.dbm", 4, 0.01);
}

# ---- the end ------------------------------------------------------------

# all of it goes (FIFOs and a device node too)
File::Path::rmtree($hb);
