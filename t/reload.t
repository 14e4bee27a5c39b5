# Maps and .htaccess while httpd runs: a server map is read at start-up
# and on graceful restart; a .htaccess map is reloaded when its file
# changes; an edited .htaccess takes effect on the next request.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use Time::HiRes ();

plan tests => 19;

local $Apache::TestRequest::RedirectOK = 0;
my $o = 'http://' . Apache::TestRequest::hostport();
my $vars = Apache::Test::config()->{vars};
my $docroot = $vars->{documentroot};

sub loc {
    my $res = GET shift;
    return $res->code == 303 ? $res->header('Location') : 'no redirect';
}

sub post_loc {
    my $res = POST shift, content => 'x=1';
    return $res->code == 303 ? $res->header('Location') : 'no redirect';
}

sub write_file {
    my ($file, $text, $mtime) = @_;
    open my $fh, '>', $file or die "$file: $!";
    print $fh $text;
    close $fh;
    utime $mtime, $mtime, $file if $mtime;
}

# Ask every child (prefork keeps several) until the answer is $want, for
# at most $secs seconds; gives the last answer.
sub eventually {
    my ($path, $want, $secs) = @_;
    my $got;
    for (1 .. $secs * 10) {
        $got = loc($path);
        return $got if $got eq $want && loc($path) eq $want
                       && loc($path) eq $want;
        Time::HiRes::sleep(0.1);
    }
    return $got;
}

# server map: start-up, then graceful restart
ok t_cmp(loc('/reload/id/a'), "$o/reload/first", 'server map read at start-up');
write_file("$vars->{serverroot}/maps/reload.txt", "a /reload/second\n");
ok t_cmp(loc('/reload/id/a'), "$o/reload/first",
         'a changed server map waits for a restart');
open my $pidfh, '<', "$vars->{t_logs}/httpd.pid" or die "pid: $!";
chomp(my $pid = <$pidfh>);
kill 'USR1', $pid;    # graceful restart
ok t_cmp(eventually('/reload/id/a', "$o/reload/second", 15),
         "$o/reload/second", 'graceful restart reads the map again');

# .htaccess maps: loaded once per process, reloaded when the file changes
my $t = time - 100;
write_file("$docroot/hmap/ids.txt", "k /hmap/one\n", $t);
system('httxt2dbm', '-i', "$docroot/hmap/ids.txt", '-o', "$docroot/hmap/ids.dbm") == 0
    or die "httxt2dbm failed";
ok t_cmp(loc('/hmap/id/k'), "$o/hmap/one", '.htaccess text map');
ok t_cmp(loc('/hmap/db/k'), "$o/hmap/one", '.htaccess DBM map');
ok t_cmp(loc('/hmap/id/k/x'), 'no redirect', 'map entries are exact');
write_file("$docroot/hmap/ids.txt", "k /hmap/two\nnew /hmap/three\n", $t + 50);
ok t_cmp(eventually('/hmap/id/k', "$o/hmap/two", 5), "$o/hmap/two",
         'a changed .htaccess map is reloaded without a restart');
ok t_cmp(loc('/hmap/id/new'), "$o/hmap/three", 'new entries too');
write_file("$docroot/hmap/ids.txt", "k /hmap/dbm-two\n/slashed /hmap/four\n", $t + 80);
system('httxt2dbm', '-i', "$docroot/hmap/ids.txt", '-o', "$docroot/hmap/ids.dbm") == 0
    or die "httxt2dbm failed";
ok t_cmp(eventually('/hmap/db/k', "$o/hmap/dbm-two", 5), "$o/hmap/dbm-two",
         'a rewritten DBM map is reopened');
# each child looks at the DBM file at most once a second: wait for all
ok t_cmp(eventually('/hmap/db/slashed', "$o/hmap/four", 5), "$o/hmap/four",
         'DBM keys written with a leading slash are found');

# .htaccess edits: the per-process parse cache must not hide them
write_file("$docroot/hedit/.htaccess", "SeeOther /hedit/p /hedit/one\n");
ok t_cmp(eventually('/hedit/p', "$o/hedit/one", 5), "$o/hedit/one",
         '.htaccess rule');
write_file("$docroot/hedit/.htaccess",
           "SeeOther /hedit/p /hedit/two\nSeeOtherMatch ^/hedit/r/(.*) /hedit/re/\$1\n");
ok t_cmp(eventually('/hedit/p', "$o/hedit/two", 5), "$o/hedit/two",
         'an edited .htaccess rule takes effect');
ok t_cmp(loc('/hedit/r/z'), "$o/hedit/re/z", 'an added .htaccess regex');
write_file("$docroot/hedit/.htaccess", "SeeOtherEngine off\n");
ok t_cmp(eventually('/hedit/p', 'no redirect', 5), 'no redirect',
         'removed rules are gone');

# a .htaccess map with options: they live with the cached map, not with
# the request that loaded it; the URL-prefix edited on the same line (the
# map file unchanged) makes another rule
write_file("$docroot/hedit/ids.txt", "k /hedit/mapped\n");
write_file("$docroot/hedit/.htaccess",
           "SeeOtherMap /hedit/m ids.txt methods=POST expr=\"%{QUERY_STRING} != 'no'\"\n");
ok t_cmp(eventually('/hedit/m/k', 'no redirect', 5), 'no redirect',
         '.htaccess map with methods=POST: GET passes');
my @posts = map { post_loc('/hedit/m/k') } 1 .. 12;
ok t_cmp(join(' ', grep { $_ ne "$o/hedit/mapped" } @posts), '',
         'its options hold on every request that reuses the map');
ok t_cmp(post_loc('/hedit/m/k?no'), 'no redirect', 'and its expr=');
write_file("$docroot/hedit/.htaccess", "SeeOtherMap /hedit/n ids.txt methods=POST\n");
my $got;
for (1 .. 50) {
    last if ($got = loc('/hedit/m/k')) eq 'no redirect'
            && join(' ', map { post_loc('/hedit/n/k') } 1 .. 8)
               eq join(' ', ("$o/hedit/mapped") x 8);
    Time::HiRes::sleep(0.1);
}
ok t_cmp(join(' ', map { post_loc('/hedit/n/k') } 1 .. 8),
         join(' ', ("$o/hedit/mapped") x 8),
         'a URL-prefix edited in place takes effect');
ok t_cmp(join(' ', grep { $_ ne 'no redirect' }
                  map { post_loc('/hedit/m/k') } 1 .. 8), '',
         'the old URL-prefix is gone');
