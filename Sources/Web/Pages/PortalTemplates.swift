/// The print vendor's portal: the list of batches and a batch's page with its files, downloads and
/// the "received" form. Plain HTML with no script; every value goes through Mustache's escaping.
enum PortalTemplates {
    static let templates: [String: String] = [
        "portal-bar": """
            <header class="bar"><div class="brand">Nightjar <span>{{l.portal}}</span></div>
            <div class="who">{{> logout}} <a class="lang" href="{{otherLanguage}}">{{l.otherLanguage}}</a></div></header>
            """,
        "vendor": """
            {{> layout-head}}{{> portal-bar}}<main>
            <h1>{{l.batches}} <small>{{vendor}}</small></h1>
            <p class="note">{{l.listNote}}</p>
            {{^hasBatches}}<p class="empty">{{l.none}}</p>{{/hasBatches}}
            {{#hasBatches}}<table class="list"><thead><tr><th>{{l.batch}}</th><th>{{l.state}}</th><th>{{l.form}}</th><th class="n">{{l.notices}}</th>
            <th class="n">{{l.pages}}</th><th class="n">{{l.volumes}}</th><th>{{l.rendered}}</th></tr></thead><tbody>
            {{#batches}}<tr><td><a href="/vendor/batches/{{id}}{{query}}">{{l.batch}} {{id}}</a></td><td><span class="badge {{state}}">{{stateLabel}}</span></td>
            <td>{{form}}</td><td class="n">{{notices}}</td><td class="n">{{pages}}</td><td class="n">{{volumes}}</td><td>{{rendered}}</td></tr>
            {{/batches}}</tbody></table>{{/hasBatches}}
            </main></body></html>
            """,
        "vendor-batch": """
            {{> layout-head}}{{> portal-bar}}<main>
            <nav class="crumbs"><a href="/vendor{{query}}">{{l.batches}}</a> › {{l.batch}} {{id}}</nav>
            <h1>{{l.batch}} {{id}} <span class="badge {{state}}">{{stateLabel}}</span></h1>
            {{#received}}<p class="ok" role="status">{{l.receivedDone}}</p>{{/received}}
            {{#refusal}}<div class="alert" role="alert"><strong>{{l.ackRefused}}</strong><p>{{refusal}}</p>
            {{#hasBadFiles}}<ul>{{#badFiles}}<li><code>{{.}}</code></li>{{/badFiles}}</ul>{{/hasBadFiles}}<p>{{l.askCity}}</p></div>{{/refusal}}
            <dl class="facts"><div><dt>{{l.form}}</dt><dd>{{form}}</dd></div><div><dt>{{l.notices}}</dt><dd>{{notices}}</dd></div>
            <div><dt>{{l.pages}}</dt><dd>{{pages}}</dd></div><div><dt>{{l.volumes}}</dt><dd>{{volumes}}</dd></div>
            <div><dt>{{l.rendered}}</dt><dd>{{rendered}}</dd></div></dl>
            <h2>{{l.files}} <small>{{fileCount}} · {{totalSize}}</small></h2>
            <p class="note">{{l.filesNote}}</p>
            <table class="files"><thead><tr><th>{{l.file}}</th><th class="n">{{l.size}}</th><th>SHA-256</th><th></th></tr></thead><tbody>
            {{#files}}<tr><td class="name">{{name}}</td><td class="n" title="{{bytes}}">{{size}}</td><td class="sum"><code data-file="{{name}}">{{sha256}}</code></td>
            <td><a class="dl" href="{{url}}" download>{{l.download}}</a></td></tr>
            {{/files}}</tbody></table>
            <p><a class="button" id="download-all" href="{{tarURL}}" download>{{l.downloadAll}}</a> <span class="note">{{tarName}} · {{tarSize}}</span></p>
            <h2>{{l.receipt}}</h2>
            {{#canAck}}<p class="note">{{l.receiptNote}}</p>
            <form method="post" action="/vendor/batches/{{id}}/ack{{query}}"><input type="hidden" name="csrf" value="{{csrf}}">
            <button type="submit" class="primary" id="received">{{l.received}}</button></form>{{/canAck}}
            {{^canAck}}<p class="done">{{l.alreadyReceived}}</p>{{/canAck}}
            </main></body></html>
            """,
    ]
}
