package SeeOther::DocCheck;
# The directive reference (docs/directives.md) against the module's command
# table (the AP_INIT_* lines of the C sources).
#
#   my $table = command_table(map { slurp($_) } glob '*.c');
#   my $docs  = doc_sections(slurp('docs/directives.md'));
#   my @problems = compare($table, $docs);     # empty: they agree
#
# command_table: { Name => { flags => [...], context => '...', override => '...' } }
#   Context is what httpd allows for the flags: RSRC_CONF gives "server
#   config, virtual host", ACCESS_CONF "directory", an OR_* override
#   "directory, .htaccess" (and the server levels too, except OR_AUTHCFG and
#   OR_LIMIT, which httpd keeps out of them).  Override names the
#   AllowOverride class of the OR_* flags, "None" without one.
#   A directive whose handler refuses a context the flags allow is listed
#   in %NARROWED; t/docs.t proves each such refusal with apache2 -t.
# doc_sections: { Name => { Description => ..., Context => ..., ... } } for
#   every "## Name" heading whose section has the httpd manual's field table
#   ("| **Context:** | ... |").
# compare: one line per disagreement: a directive without a section, a
#   section without a directive, a missing field, a Context or Override
#   that differs from the code, a section whose Module is not mod_see_other.
use strict;
use warnings;
use Exporter 'import';
our @EXPORT_OK = qw(command_table doc_sections compare contexts_for
                    code_blocks unfenced_blocks @FIELDS %NARROWED);

our @FIELDS = qw(Description Syntax Default Context Override Status Module
                 Compatibility);

# Contexts the handler itself refuses although the flags allow them.
our %NARROWED = (
    # "SeeOtherMap: belongs in the server config, a virtual host or
    # .htaccess" (a map in a server-config section would be reread per
    # request, for no benefit over the server level)
    SeeOtherMap => ['directory'],
);

my @ORDER = ('server config', 'virtual host', 'directory', '.htaccess');
my %OVERRIDE = (
    OR_LIMIT => 'Limit', OR_OPTIONS => 'Options', OR_FILEINFO => 'FileInfo',
    OR_AUTHCFG => 'AuthConfig', OR_INDEXES => 'Indexes', OR_ALL => 'All',
);

# Split a C argument list at its top-level commas (strings and nested
# parentheses kept whole).
sub split_args {
    my ($text) = @_;
    my (@args, $cur, $depth, $in_str);
    $cur = ''; $depth = 0; $in_str = 0;
    my @c = split //, $text;
    for (my $i = 0; $i < @c; $i++) {
        my $ch = $c[$i];
        if ($in_str) {
            $cur .= $ch;
            if ($ch eq '\\') { $cur .= $c[++$i]; next }
            $in_str = 0 if $ch eq '"';
            next;
        }
        if ($ch eq '"') { $in_str = 1; $cur .= $ch; next }
        if ($ch eq '(') { $depth++ }
        if ($ch eq ')') {
            return (\@args, $cur, $i) if $depth == 0;
            $depth--;
        }
        if ($ch eq ',' && $depth == 0) { push @args, $cur; $cur = ''; next }
        $cur .= $ch;
    }
    die "unbalanced AP_INIT_ argument list\n";
}

sub contexts_for {
    my (@flags) = @_;
    my %f = map { $_ => 1 } @flags;
    my %ctx;
    @ctx{'server config', 'virtual host'} = (1, 1) if $f{RSRC_CONF};
    $ctx{directory} = 1 if $f{ACCESS_CONF};
    my @or = grep { /^OR_/ } @flags;
    if (@or) {
        @ctx{'directory', '.htaccess'} = (1, 1);
        # httpd parses the server levels with OR_ALL less these two
        @ctx{'server config', 'virtual host'} = (1, 1)
            if grep { $_ ne 'OR_AUTHCFG' && $_ ne 'OR_LIMIT' } @or;
    }
    return grep { $ctx{$_} } @ORDER;
}

sub command_table {
    my (@sources) = @_;
    my %table;
    for my $src (@sources) {
        (my $code = $src) =~ s{/\*.*?\*/}{ }gs;
        while ($code =~ /\bAP_INIT_[A-Z0-9_]+\s*\(/g) {
            my $start = pos $code;
            my ($args) = split_args(substr $code, $start);
            my ($name) = $args->[0] =~ /^\s*"([^"]+)"\s*$/
                or die "AP_INIT_ without a literal name: $args->[0]\n";
            my @flags = ($args->[3] // '') =~ /\b([A-Z_]+_CONF|OR_[A-Z]+|EXEC_ON_READ|NOT_IN_\w+)\b/g;
            my @ctx = contexts_for(@flags);
            if (my $gone = $NARROWED{$name}) {
                my %g = map { $_ => 1 } @$gone;
                @ctx = grep { !$g{$_} } @ctx;
            }
            my @or = map { $OVERRIDE{$_} } grep { $OVERRIDE{$_} } @flags;
            die "$name: command table twice\n" if $table{$name};
            $table{$name} = {
                flags    => \@flags,
                context  => join(', ', @ctx),
                override => @or ? join(', ', @or) : 'None',
            };
        }
    }
    return \%table;
}

sub doc_sections {
    my ($md) = @_;
    my %docs;
    my @parts = split /^## /m, $md;
    shift @parts;    # before the first section
    for my $part (@parts) {
        my ($name) = $part =~ /\A(\S+)[ \t]*$/m or next;
        my %fields;
        while ($part =~ /^\|\s*\*\*([A-Za-z]+):\*\*\s*\|\s*(.*?)\s*\|\s*$/mg) {
            $fields{$1} = $2;
        }
        next unless %fields;    # not a directive section (e.g. Options)
        $docs{$name} = \%fields;
    }
    return \%docs;
}

sub compare {
    my ($table, $docs) = @_;
    my @problems;
    for my $name (sort keys %$table) {
        my $d = $docs->{$name};
        if (!$d) {
            push @problems, "$name: in the command table, no section in the reference";
            next;
        }
        for my $field (@FIELDS) {
            push @problems, "$name: no $field line"
                unless defined $d->{$field} && length $d->{$field};
        }
        my $t = $table->{$name};
        for my $field (qw(Context Override)) {
            my $want = $field eq 'Context' ? $t->{context} : $t->{override};
            my $got = $d->{$field} // '';
            push @problems, "$name: $field is '$got' in the reference, "
                . "'$want' in the code (@{$t->{flags}})" if $got ne $want;
        }
        push @problems, "$name: Module is '$d->{Module}', not mod_see_other"
            if defined $d->{Module} && $d->{Module} ne 'mod_see_other';
    }
    for my $name (sort keys %$docs) {
        push @problems, "$name: documented, but not in the command table"
            unless $table->{$name};
    }
    return @problems;
}

# Fenced code blocks: ({ lang => 'apache', line => N, text => '...' }, ...),
# line being the fence's line number.  The language decides what a test
# does with the block: "apache" is loaded as server configuration,
# "htaccess" as an .htaccess file; any other language is not loaded.
sub code_blocks {
    my ($md) = @_;
    my @blocks;
    my @lines = split /\n/, $md, -1;
    for (my $i = 0; $i < @lines; $i++) {
        next unless $lines[$i] =~ /^(\s*)(```+|~~~+)\s*([\w.+-]*)/;
        my ($indent, $fence, $lang, $start) = ($1, $2, $3, $i + 1);
        my @text;
        for ($i++; $i < @lines && $lines[$i] !~ /^\s*\Q$fence\E\s*$/; $i++) {
            (my $l = $lines[$i]) =~ s/^\Q$indent\E//;
            push @text, $l;
        }
        die "line $start: unclosed code fence\n" if $i >= @lines;
        push @blocks, { lang => $lang, line => $start,
                        text => join('', map { "$_\n" } @text) };
    }
    return @blocks;
}

# Line numbers of indented code blocks (four spaces after a blank line,
# outside fences and lists): every example must be fenced, with a
# language, so that the tests know whether to load it.
sub unfenced_blocks {
    my ($md) = @_;
    my @found;
    my ($in_fence, $prev_blank, $in_list) = (0, 1, 0);
    my $n = 0;
    for my $line (split /\n/, $md) {
        $n++;
        if ($line =~ /^\s*(```|~~~)/) { $in_fence = !$in_fence; $prev_blank = 0; next }
        next if $in_fence;
        if ($line =~ /^\s*$/) { $prev_blank = 1; next }
        if ($line =~ /^(\s*)([-*+]|\d+[.)])\s/) { $in_list = 1 }
        elsif ($line =~ /^\S/) { $in_list = 0 }
        push @found, $n if $prev_blank && !$in_list && $line =~ /^ {4,}\S/;
        $prev_blank = 0;
    }
    return @found;
}

1;
