# The docs checker itself (t/lib/SeeOther/DocCheck.pm): fed a doctored
# reference or command table, it must name the disagreement.  t/docs.t
# runs it on the real ones.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More tests => 20;
use SeeOther::DocCheck qw(command_table doc_sections compare contexts_for
                          code_blocks unfenced_blocks);
use SeeOther::Util qw(slurp);

my $top = "$FindBin::Bin/..";
my @sources = map { slurp($_) } glob "$top/*.c";
my $reference = slurp("$top/docs/directives.md");

# ---- flags to contexts, as httpd allows them
is join('; ', contexts_for('RSRC_CONF')), 'server config; virtual host', 'RSRC_CONF';
is join('; ', contexts_for('ACCESS_CONF')), 'directory', 'ACCESS_CONF';
is join('; ', contexts_for('OR_FILEINFO')),
   'server config; virtual host; directory; .htaccess', 'OR_FILEINFO alone';
is join('; ', contexts_for('ACCESS_CONF', 'OR_AUTHCFG')), 'directory; .htaccess',
   'OR_AUTHCFG stays out of the server levels';

my $table = command_table(<<'EOF');
static const command_rec cmds[] = {
    AP_INIT_TAKE1("Alpha", f, NULL, RSRC_CONF, "x, y (z)"),
    AP_INIT_FLAG("Beta", f, (void *)APR_OFFSETOF(t, b),
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO, "on, off"),
    /* AP_INIT_FLAG("Commented", f, NULL, RSRC_CONF, "gone"), */
    AP_INIT_RAW_ARGS("SeeOtherMap", f, NULL, RSRC_CONF | OR_FILEINFO, "m"),
    {NULL}
};
EOF
is join(' ', sort keys %$table), 'Alpha Beta SeeOtherMap',
   'three entries read (commas in the data and the help kept whole, comments skipped)';
is "$table->{Alpha}{context} | $table->{Alpha}{override}",
   'server config, virtual host | None', 'Alpha: RSRC_CONF, no override';
is "$table->{Beta}{context} | $table->{Beta}{override}",
   'server config, virtual host, directory, .htaccess | FileInfo', 'Beta';
is $table->{SeeOtherMap}{context}, 'server config, virtual host, .htaccess',
   'a context the handler refuses (%NARROWED) is taken out';

sub section {
    my ($name, %f) = @_;
    my %d = (Description => 'd', Syntax => "$name x", Default => 'none',
             Status => 'External', Module => 'mod_see_other',
             Compatibility => '2.0.0 and later', %f);
    return "## $name\n\n| | |\n|---|---|\n"
        . join('', map { "| **$_:** | $d{$_} |\n" }
               grep { exists $d{$_} } @SeeOther::DocCheck::FIELDS)
        . "\ntext\n\n";
}
my $good = section('Alpha', Context => 'server config, virtual host', Override => 'None')
    . section('Beta', Context => 'server config, virtual host, directory, .htaccess',
              Override => 'FileInfo')
    . section('SeeOtherMap', Context => 'server config, virtual host, .htaccess',
              Override => 'FileInfo')
    . "## Options\n\nnot a directive\n";
is_deeply [compare($table, doc_sections($good))], [], 'an agreeing reference passes';

(my $bad = $good) =~ s/(\| \*\*Context:\*\* \| server config, virtual host), directory, \.htaccess/$1/;
is_deeply [compare($table, doc_sections($bad))],
    ["Beta: Context is 'server config, virtual host' in the reference, "
     . "'server config, virtual host, directory, .htaccess' in the code "
     . "(RSRC_CONF ACCESS_CONF OR_FILEINFO)"],
    'a Context that differs from the code is named';
($bad = $good) =~ s/(## Beta.*?\*\*Override:\*\* \| )FileInfo/${1}Options/s;
like join("\n", compare($table, doc_sections($bad))),
    qr/^Beta: Override is 'Options' in the reference, 'FileInfo' in the code/,
    'an Override that differs is named';
($bad = $good) =~ s/## Alpha.*?(?=## Beta)//s;
is_deeply [compare($table, doc_sections($bad))],
    ['Alpha: in the command table, no section in the reference'],
    'a directive without a section is named';
$bad = $good . section('Gamma', Context => 'directory', Override => 'None');
is_deeply [compare($table, doc_sections($bad))],
    ['Gamma: documented, but not in the command table'],
    'a documented directive that does not exist is named';
($bad = $good) =~ s/(## Beta.*?)\| \*\*Compatibility:\*\* \|[^\n]*\n/$1/s;
is_deeply [compare($table, doc_sections($bad))], ['Beta: no Compatibility line'],
    'a missing field is named';

# ---- the real command table and reference, one context doctored
my $real = command_table(@sources);
ok scalar(keys %$real) >= 6, 'the real command table has the directives ('
   . join(' ', sort keys %$real) . ')';
is_deeply [compare($real, doc_sections($reference))], [],
    'the real reference agrees with the real command table';
($bad = $reference) =~ s/(## SeeOther\n.*?\*\*Context:\*\* \| )server config, /$1/s;
like join("\n", compare($real, doc_sections($bad))),
    qr/^SeeOther: Context is 'virtual host, directory, \.htaccess' in the reference/,
    'the real reference with a context dropped from SeeOther fails';

# ---- code blocks
my $md = "text\n\n```apache\nSeeOther /a /b\n```\n\n"
    . "- a list item\n\n    continued in the list\n\n"
    . "para\n\n    SeeOther /unfenced /x\n\n~~~htaccess\nSeeOther /c /d\n~~~\n";
is join('|', map { "$_->{lang}:$_->{line}:$_->{text}" } code_blocks($md)),
   "apache:3:SeeOther /a /b\n|htaccess:15:SeeOther /c /d\n", 'fenced blocks, their language and line';
is join(" ", unfenced_blocks($md)), "13", 'an indented block outside a list is found';
is join(' ', unfenced_blocks("```text\n    indented inside a fence\n```\n")), '',
   'indentation inside a fence is not a block';
