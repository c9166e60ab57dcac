<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <source>小票打印机地址“{0}”不对，应为“主机:端口”（如 192.168.1.50:9100）；号码 {1} 已显示在屏幕上，请告诉来访人。</source>
        <translation>The ticket printer address “{0}” is wrong: it should be “host:port” (e.g. 192.168.1.50:9100). Number {1} is shown on screen; please tell the visitor.</translation>
    </message>
    <message>
        <source>小票打印机没有响应，号码 {0} 已显示在屏幕上，请告诉来访人。</source>
        <translation>The ticket printer does not answer; number {0} is shown on screen, tell the visitor.</translation>
    </message>
    <message>
        <source>小票文件“{0}”无法写入（文件夹不存在或没有写入权限），号码 {1} 已显示在屏幕上，请告诉来访人。</source>
        <translation>The ticket file “{0}” cannot be written (the folder does not exist or may not be written). Number {1} is shown on screen; please tell the visitor.</translation>
    </message>
    <message>
        <source>没有找到打印机，号码 {0} 已显示在屏幕上，请告诉来访人。</source>
        <translation>No printer found; number {0} is shown on screen, tell the visitor.</translation>
    </message>
    <message>
        <source>打印机无法打印，号码 {0} 已显示在屏幕上，请告诉来访人。</source>
        <translation>The printer cannot print; number {0} is shown on screen, tell the visitor.</translation>
    </message>
    <message>
        <source>取号时间 {0}</source>
        <translation>Issued {0}</translation>
    </message>
    <message>
        <source>您前面还有 {0} 人</source>
        <translation>{0} people ahead of you</translation>
    </message>
    <message>
        <source>请留意叫号屏和语音叫号</source>
        <translation>Watch the display and listen for your number</translation>
    </message>
</context>
<context>
    <name>AlertBanner</name>
    <message>
        <source>查看</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>在队列中打开这件事件</source>
        <translation>Open this incident in the queue</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <source>关闭提醒</source>
        <translation>Dismiss the alert</translation>
    </message>
</context>
<context>
    <name>AttachmentList</name>
    <message>
        <source>Delete 键移除所选附件</source>
        <translation>Delete removes the selected attachment</translation>
    </message>
    <message>
        <source>{0}
未添加：{1}</source>
        <translation>{0}
not added: {1}</translation>
    </message>
    <message>
        <source>视频取证 {0}</source>
        <translation>Video evidence {0}</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>（已不存在）</source>
        <translation>(no longer exists)</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>显示最近 {0} 条</source>
        <translation>Showing the latest {0} entries</translation>
    </message>
</context>
<context>
    <name>BulkActions</name>
    <message>
        <source>批量{0}：{1} 件已处理</source>
        <translation>Bulk {0}: {1} done</translation>
    </message>
    <message>
        <source>。</source>
        <translation>.</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>，{0} 件未处理：</source>
        <translation>, {0} not done: </translation>
    </message>
</context>
<context>
    <name>BulkButton</name>
    <message>
        <source>批量</source>
        <translation>Bulk</translation>
    </message>
    <message>
        <source>对选中的多件事件一并操作（Shift/Ctrl 多选）</source>
        <translation>Act on all selected incidents (Shift/Ctrl to select several)</translation>
    </message>
    <message>
        <source>{0}（选中的全部事件，{1}）</source>
        <translation>{0} (all selected incidents, {1})</translation>
    </message>
</context>
<context>
    <name>CalendarGrid</name>
    <message>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>编辑摄像机</source>
        <translation>Edit camera</translation>
    </message>
    <message>
        <source>新增摄像机</source>
        <translation>New camera</translation>
    </message>
    <message>
        <source>20 位国标编码</source>
        <translation>20-digit national code</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>国标编码</source>
        <translation>National code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>点位</source>
        <translation>Site</translation>
    </message>
    <message>
        <source>主码流</source>
        <translation>Main stream</translation>
    </message>
    <message>
        <source>子码流</source>
        <translation>Sub stream</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>CameraImport</name>
    <message>
        <source>导入摄像机 CSV</source>
        <translation>Import cameras from CSV</translation>
    </message>
    <message>
        <source>无法读取该文件，请检查文件是否存在。</source>
        <translation>The file cannot be read; check that it exists.</translation>
    </message>
    <message>
        <source>导入摄像机</source>
        <translation>Import cameras</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>无法播放</source>
        <translation>Cannot play</translation>
    </message>
    <message>
        <source>状态未知（尚未探测）</source>
        <translation>Unknown (not probed yet)</translation>
    </message>
    <message>
        <source>{0}（停用）</source>
        <translation>{0} (disabled)</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>全部调解室</source>
        <translation>All rooms</translation>
    </message>
    <message>
        <source>全部调解员</source>
        <translation>All mediators</translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation>Dispute category</translation>
    </message>
    <message>
        <source>月份，如 2026-11</source>
        <translation>Month, e.g. 2026-11</translation>
    </message>
    <message>
        <source>调解协议内容（调解成功时必填）</source>
        <translation>Agreement text (required for an agreement)</translation>
    </message>
    <message>
        <source>协议金额（元）</source>
        <translation>Agreed amount (yuan)</translation>
    </message>
    <message>
        <source>协议</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>调解菜单（当事人自选）…</source>
        <translation>Mediator menu (party&apos;s choice)…</translation>
    </message>
    <message>
        <source>当事人从调解员名单中自选调解员和时段（自选制）（Ctrl+M）</source>
        <translation>The party picks a mediator and a time from the mediator menu (self-chosen) (Ctrl+M)</translation>
    </message>
    <message>
        <source>调解安排（选中一场登记举行、未到场或取消）</source>
        <translation>Sessions (select one to mark it held, no-show or cancelled)</translation>
    </message>
    <message>
        <source>状态：{0}</source>
        <translation>State: {0}</translation>
    </message>
    <message>
        <source>当事人：{0}</source>
        <translation>Parties: {0}</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>协议：{0}</source>
        <translation>Agreement: {0}</translation>
    </message>
</context>
<context>
    <name>CentreConnectionLabel</name>
    <message>
        <source>中心数据库服务器连接中断（{0} 起），正在重试…</source>
        <translation>Lost the connection to the centre&apos;s database server (since {0}); retrying…</translation>
    </message>
    <message>
        <source>连接中断期间的保存不会生效，填写的内容保留在窗口中；连接恢复后此提示自动消失，请再保存一次。</source>
        <translation>Nothing is saved while the connection is lost; what you typed stays in the window. This notice disappears once the connection is back; then save again.</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <source>网格员上报</source>
        <translation>Grid worker</translation>
    </message>
    <message>
        <source>电话/热线</source>
        <translation>Phone/hotline</translation>
    </message>
    <message>
        <source>来访</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <source>视频巡查</source>
        <translation>Video patrol</translation>
    </message>
    <message>
        <source>群众APP</source>
        <translation>Citizen app</translation>
    </message>
    <message>
        <source>部门转办</source>
        <translation>Department referral</translation>
    </message>
</context>
<context>
    <name>ClipRecorder</name>
    <message>
        <source>录像失败（内部错误，详见日志）。</source>
        <translation>Recording failed (internal error, see the log).</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message>
        <source>{0}天</source>
        <translation>{0} d</translation>
    </message>
    <message>
        <source>{0}小时</source>
        <translation>{0} h</translation>
    </message>
    <message>
        <source>{0}分钟</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>超期 {0}</source>
        <translation>overdue {0}</translation>
    </message>
    <message>
        <source>剩 {0}</source>
        <translation>{0} left</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>1月</source>
        <translation>Jan</translation>
    </message>
    <message>
        <source>2月</source>
        <translation>Feb</translation>
    </message>
    <message>
        <source>3月</source>
        <translation>Mar</translation>
    </message>
    <message>
        <source>4月</source>
        <translation>Apr</translation>
    </message>
    <message>
        <source>5月</source>
        <translation>May</translation>
    </message>
    <message>
        <source>6月</source>
        <translation>Jun</translation>
    </message>
    <message>
        <source>7月</source>
        <translation>Jul</translation>
    </message>
    <message>
        <source>8月</source>
        <translation>Aug</translation>
    </message>
    <message>
        <source>9月</source>
        <translation>Sep</translation>
    </message>
    <message>
        <source>10月</source>
        <translation>Oct</translation>
    </message>
    <message>
        <source>11月</source>
        <translation>Nov</translation>
    </message>
    <message>
        <source>12月</source>
        <translation>Dec</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>事件与来访（近 12 个月）</source>
        <translation>Incidents and visits (last 12 months)</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>重新统计（F5）</source>
        <translation>Recount (F5)</translation>
    </message>
    <message>
        <source>受理事件</source>
        <translation>Incidents received</translation>
    </message>
    <message>
        <source>统计期内上报的事件，不含不予受理和被合并的重复上报</source>
        <translation>Incidents reported in the period, not counting rejected reports and duplicates merged into another case</translation>
    </message>
    <message>
        <source>办结事件</source>
        <translation>Incidents closed</translation>
    </message>
    <message>
        <source>统计期内受理的事件中，现已结案的件数</source>
        <translation>Of the incidents received in the period, those closed now</translation>
    </message>
    <message>
        <source>处置成功率</source>
        <translation>Success rate</translation>
    </message>
    <message>
        <source>办结事件 ÷ 受理事件（统计期内受理的事件中已结案的比例）</source>
        <translation>Incidents closed ÷ incidents received (the share of the period&apos;s received incidents that are closed)</translation>
    </message>
    <message>
        <source>在办事件</source>
        <translation>Open incidents</translation>
    </message>
    <message>
        <source>统计期内受理的事件中，现仍在办（含已上报县级）的件数</source>
        <translation>Of the incidents received in the period, those still open now (escalated ones included)</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>在办事件中现已超过处置时限的件数（县级办理中、暂停计时的不计）</source>
        <translation>Open incidents past their deadline now (not counting those with the county, whose clock is paused)</translation>
    </message>
    <message>
        <source>每月受理事件</source>
        <translation>Incidents per month</translation>
    </message>
    <message>
        <source>受理事件按上报月份（北京时间）计；各月之和等于受理事件</source>
        <translation>Incidents received, by month of the report (Beijing time); the months add up to incidents received</translation>
    </message>
    <message>
        <source>事件类别</source>
        <translation>Incident categories</translation>
    </message>
    <message>
        <source>受理事件按类别计；各类之和等于受理事件</source>
        <translation>Incidents received, by category; the categories add up to incidents received</translation>
    </message>
    <message>
        <source>今日来访</source>
        <translation>Visits today</translation>
    </message>
    <message>
        <source>今天（北京时间）登记的来访</source>
        <translation>Visits registered today (Beijing time)</translation>
    </message>
    <message>
        <source>本月来访</source>
        <translation>Visits this month</translation>
    </message>
    <message>
        <source>本月（北京时间）登记的来访</source>
        <translation>Visits registered this month (Beijing time)</translation>
    </message>
    <message>
        <source>近 12 个月来访</source>
        <translation>Visits in 12 months</translation>
    </message>
    <message>
        <source>统计期内登记的来访；与事件统计同一期间</source>
        <translation>Visits registered in the period, the same period as the incident figures</translation>
    </message>
    <message>
        <source>集体访（5 人以上）</source>
        <translation>Collective visits (5+ people)</translation>
    </message>
    <message>
        <source>统计期内 5 人以上一同来访的登记数</source>
        <translation>Visits of 5 or more people together registered in the period</translation>
    </message>
    <message>
        <source>每月来访量</source>
        <translation>Visits per month</translation>
    </message>
    <message>
        <source>来访按登记月份计；各月之和等于近 12 个月来访</source>
        <translation>Visits by month registered; the months add up to visits in 12 months</translation>
    </message>
    <message>
        <source>来访事由</source>
        <translation>Purpose of visit</translation>
    </message>
    <message>
        <source>统计期内的来访按事由计</source>
        <translation>Visits in the period, by purpose</translation>
    </message>
    <message>
        <source>事件与来访（近 12 个月：{0} 至 {1}）</source>
        <translation>Incidents and visits (last 12 months: {0} to {1})</translation>
    </message>
</context>
<context>
    <name>DaySheet</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediators</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>当天没有调解安排</source>
        <translation>No sessions on this day</translation>
    </message>
</context>
<context>
    <name>DaySheetDialog</name>
    <message>
        <source>打印日程单</source>
        <translation>Print a day sheet</translation>
    </message>
    <message>
        <source>全中心日程</source>
        <translation>The centre&apos;s day programme</translation>
    </message>
    <message>
        <source>{0} 门口日程单</source>
        <translation>{0}: sheet for the door</translation>
    </message>
    <message>
        <source>日程单</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>选择打印机打印</source>
        <translation>Choose a printer and print</translation>
    </message>
    <message>
        <source>导出 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>保存为 A4 PDF 文件</source>
        <translation>Save as an A4 PDF file</translation>
    </message>
    <message>
        <source>调解中心日程</source>
        <translation>Mediation centre programme</translation>
    </message>
    <message>
        <source>已送打印：{0}，共 {1} 页</source>
        <translation>Sent to {0}: {1} page(s)</translation>
    </message>
    <message>
        <source>导出日程单 PDF</source>
        <translation>Save the day sheet as PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>无法写入 {0}，请换一个文件夹</source>
        <translation>Cannot write {0}; choose another folder</translation>
    </message>
    <message>
        <source>已保存 {0}，共 {1} 页</source>
        <translation>Saved {0}: {1} page(s)</translation>
    </message>
</context>
<context>
    <name>DomainMessages</name>
    <message>
        <source>照片（JPEG/PNG/GIF/WebP/BMP）、PDF、Office 文档、MPEG-TS/MP4 视频片段</source>
        <translation>photos (JPEG/PNG/GIF/WebP/BMP), PDF, Office documents, MPEG-TS/MP4 video clips</translation>
    </message>
    <message>
        <source>找不到文件“{path}”，可能已被移动或删除。</source>
        <translation>File “{path}” not found; it may have been moved or deleted.</translation>
    </message>
    <message>
        <source>“{name}”不是文件，请选择一个文件。</source>
        <translation>“{name}” is not a file; choose a file.</translation>
    </message>
    <message>
        <source>文件“{name}”是空的，请重新选择。</source>
        <translation>File “{name}” is empty; choose again.</translation>
    </message>
    <message>
        <source>文件“{name}”有 {megabytes} MB，超过 20 MB 的上限，请压缩或截取后再添加。</source>
        <translation>File “{name}” is {megabytes} MB, over the 20 MB limit; compress or trim it, then add it again.</translation>
    </message>
    <message>
        <source>文件“{name}”的内容不是可接受的类型（只接受{allowed}），即使扩展名看起来正确。</source>
        <translation>The content of file “{name}” is not an accepted type (only {allowed}), even if its extension looks right.</translation>
    </message>
    <message>
        <source>只能导出为 CSV（.csv）或 Excel（.xlsx）文件。</source>
        <translation>Export only to a CSV (.csv) or Excel (.xlsx) file.</translation>
    </message>
    <message>
        <source>文件夹“{folder}”不存在，请重新选择保存位置。</source>
        <translation>Folder “{folder}” does not exist; choose where to save again.</translation>
    </message>
    <message>
        <source>请选择来源渠道。</source>
        <translation>Choose the channel the report came through.</translation>
    </message>
    <message>
        <source>请选择事件类别和小类。</source>
        <translation>Choose the category and subcategory.</translation>
    </message>
    <message>
        <source>请选择风险等级。</source>
        <translation>Choose the risk level.</translation>
    </message>
    <message>
        <source>涉及人数请填写整数，例如 1 或 12。</source>
        <translation>Enter the number of people involved as a whole number, e.g. 1 or 12.</translation>
    </message>
    <message>
        <source>涉及人数应在 1 到 {most} 之间，请核对。</source>
        <translation>The number of people involved must be between 1 and {most}; check it.</translation>
    </message>
    <message>
        <source>请填写上报人姓名（匿名来电可写“匿名”）。</source>
        <translation>Enter the reporter&apos;s name (write “匿名” for an anonymous call).</translation>
    </message>
    <message>
        <source>上报人姓名太长（不超过 32 个字）。</source>
        <translation>The reporter&apos;s name is too long (at most 32 characters).</translation>
    </message>
    <message>
        <source>联系电话“{phone}”格式不对：请填写 11 位手机号或带区号的固定电话（如 0577-64281234）。</source>
        <translation>Phone “{phone}” is not valid: enter an 11-digit mobile number or a landline with its area code (e.g. 0577-64281234).</translation>
    </message>
    <message>
        <source>事件类别“{category}/{subcategory}”不存在，请从列表选择。</source>
        <translation>Category “{category}/{subcategory}” does not exist; choose from the list.</translation>
    </message>
    <message>
        <source>请填写事件标题（不超过 128 个字）。</source>
        <translation>Enter a title for the incident (at most 128 characters).</translation>
    </message>
    <message>
        <source>事件描述太短，请写清时间、地点、人物和经过。</source>
        <translation>The description is too short: say when, where, who and what happened.</translation>
    </message>
    <message>
        <source>请填写事发地点。</source>
        <translation>Enter where it happened.</translation>
    </message>
    <message>
        <source>请填写上报人。</source>
        <translation>Enter the reporter.</translation>
    </message>
    <message>
        <source>上报人姓名太长（不超过 64 个字）。</source>
        <translation>The reporter&apos;s name is too long (at most 64 characters).</translation>
    </message>
    <message>
        <source>涉及人数应在 1 到 {most} 之间。</source>
        <translation>The number of people involved must be between 1 and {most}.</translation>
    </message>
    <message>
        <source>上报时间晚于现在，请核对日期。</source>
        <translation>The report time is later than now; check the date.</translation>
    </message>
    <message>
        <source>没有要办理的操作。</source>
        <translation>There is no step to carry out.</translation>
    </message>
    <message>
        <source>县级答复请使用“记录县级答复”。</source>
        <translation>Use “Record the county&apos;s answer” for a county reply.</translation>
    </message>
    <message>
        <source>合并请选择要合并到的另一件事件。</source>
        <translation>To merge, choose the other incident to merge into.</translation>
    </message>
    <message>
        <source>“{action}”需要填写理由。</source>
        <translation>“{action}” needs a reason.</translation>
    </message>
    <message>
        <source>处置反馈需要写明做了什么（处置经过和结果）。</source>
        <translation>Feedback must say what was done (how it was handled and the result).</translation>
    </message>
    <message>
        <source>县级答复只能是：{choices}。</source>
        <translation>The county&apos;s answer can only be: {choices}.</translation>
    </message>
    <message>
        <source>处置时限缺少时区，请重新选择日期和时间。</source>
        <translation>The deadline has no time zone; choose the date and time again.</translation>
    </message>
    <message>
        <source>处置时限不能早于现在，请选择以后的日期和时间。</source>
        <translation>The deadline cannot be in the past; choose a later date and time.</translation>
    </message>
    <message>
        <source>调整处置时限需要填写理由。</source>
        <translation>Changing the deadline needs a reason.</translation>
    </message>
    <message>
        <source>合并需要填写理由。</source>
        <translation>A merge needs a reason.</translation>
    </message>
    <message>
        <source>不能把事件合并到它自己。</source>
        <translation>An incident cannot be merged into itself.</translation>
    </message>
    <message>
        <source>事件 {case_no} 已被 {name}（{username}） 处理为“{state}”，不能再{action}。请刷新后再操作。</source>
        <translation>Incident {case_no} was already set to “{state}” by {name} ({username}); it can no longer be “{action}”. Refresh and try again.</translation>
    </message>
    <message>
        <source>找不到该事件，可能已被删除或尚未同步。</source>
        <translation>Incident not found; it may have been deleted or not synchronised yet.</translation>
    </message>
    <message>
        <source>网格“{grid}”不存在，请从网格列表中选择。</source>
        <translation>Grid “{grid}” does not exist; choose one from the grid list.</translation>
    </message>
    <message>
        <source>请选择要合并到的另一件事件。</source>
        <translation>Choose the other incident to merge into.</translation>
    </message>
    <message>
        <source>已办结的事件不能再调整风险等级。</source>
        <translation>The risk level of a finished incident cannot be changed.</translation>
    </message>
    <message>
        <source>记录县级答复</source>
        <translation>record the county&apos;s answer</translation>
    </message>
    <message>
        <source>“{state}”的事件不能调整处置时限。</source>
        <translation>The deadline of an incident that is “{state}” cannot be changed.</translation>
    </message>
    <message>
        <source>要合并到的事件不存在，请重新选择。</source>
        <translation>The incident to merge into does not exist; choose again.</translation>
    </message>
    <message>
        <source>事件 {case_no} 已“{state}”，只能合并到在办的事件。</source>
        <translation>Incident {case_no} is already “{state}”; merge only into an open incident.</translation>
    </message>
    <message>
        <source>合并</source>
        <translation>merge</translation>
    </message>
    <message>
        <source>事件 {case_no} 已被他人处理为“{state}”，不能再{action}。请刷新后再操作。</source>
        <translation>Incident {case_no} was already set to “{state}” by someone else; it can no longer be “{action}”. Refresh and try again.</translation>
    </message>
    <message>
        <source>请选择派遣的部门或站所。</source>
        <translation>Choose the department or station to dispatch to.</translation>
    </message>
    <message>
        <source>待分流</source>
        <translation>Awaiting triage</translation>
    </message>
    <message>
        <source>已立案</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>已合并</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>已派遣</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>处置中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>待核实</source>
        <translation>Awaiting verification</translation>
    </message>
    <message>
        <source>已核实</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>已上报县级</source>
        <translation>Escalated to county</translation>
    </message>
    <message>
        <source>未知的操作“{action}”。</source>
        <translation>Unknown action “{action}”.</translation>
    </message>
    <message>
        <source>事件当前为“{state}”，不能“{action}”（只有处于这些状态的事件可以{action}：{allowed}）。</source>
        <translation>The incident is “{state}” and cannot be “{action}” (only incidents in these states can: {allowed}).</translation>
    </message>
    <message>
        <source>事件当前为“{state}”，不能“{action}”（只有“{allowed}”的事件可以{action}）。</source>
        <translation>The incident is “{state}” and cannot be “{action}” (only “{allowed}” incidents can).</translation>
    </message>
    <message>
        <source>立案受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>合并重复</source>
        <translation>Merge duplicate</translation>
    </message>
    <message>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <source>开始处置</source>
        <translation>Start work</translation>
    </message>
    <message>
        <source>处置反馈</source>
        <translation>Report handled</translation>
    </message>
    <message>
        <source>核实通过</source>
        <translation>Verify</translation>
    </message>
    <message>
        <source>核实未通过</source>
        <translation>Verification failed</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>上报县级</source>
        <translation>Escalate to county</translation>
    </message>
    <message>
        <source>县级答复</source>
        <translation>County reply</translation>
    </message>
    <message>
        <source>请填写身份证号码。</source>
        <translation>Enter the resident ID number.</translation>
    </message>
    <message>
        <source>身份证号码校验位不正确，可能有数字输错，请核对。</source>
        <translation>The ID number&apos;s check digit is wrong; a digit may be mistyped. Check it.</translation>
    </message>
    <message>
        <source>请选择分流去向（窗口、调解室或部门）。</source>
        <translation>Choose where to route the visitor (window, mediation room or department).</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>登录失败</source>
        <translation>Sign-in failed</translation>
    </message>
    <message>
        <source>登录被暂停（失败次数过多）</source>
        <translation>Sign-in paused (too many failures)</translation>
    </message>
    <message>
        <source>新建用户</source>
        <translation>Create user</translation>
    </message>
    <message>
        <source>启用用户</source>
        <translation>Enable user</translation>
    </message>
    <message>
        <source>停用用户</source>
        <translation>Disable user</translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>修改密码失败</source>
        <translation>Password change failed</translation>
    </message>
    <message>
        <source>修改设置</source>
        <translation>Change setting</translation>
    </message>
    <message>
        <source>查看个人信息</source>
        <translation>View personal data</translation>
    </message>
    <message>
        <source>来访登记</source>
        <translation>Register visit</translation>
    </message>
    <message>
        <source>事件登记</source>
        <translation>Report incident</translation>
    </message>
    <message>
        <source>合并重复事件</source>
        <translation>Merge duplicate</translation>
    </message>
    <message>
        <source>调整风险等级</source>
        <translation>Change risk colour</translation>
    </message>
    <message>
        <source>调整处置时限</source>
        <translation>Change deadline</translation>
    </message>
    <message>
        <source>添加附件</source>
        <translation>Add attachment</translation>
    </message>
    <message>
        <source>查看摄像机画面</source>
        <translation>View camera</translation>
    </message>
    <message>
        <source>新增摄像机</source>
        <translation>Add camera</translation>
    </message>
    <message>
        <source>修改摄像机</source>
        <translation>Edit camera</translation>
    </message>
    <message>
        <source>保存墙面</source>
        <translation>Save wall</translation>
    </message>
    <message>
        <source>保存轮巡</source>
        <translation>Save tour</translation>
    </message>
    <message>
        <source>删除轮巡</source>
        <translation>Delete tour</translation>
    </message>
    <message>
        <source>截图取证</source>
        <translation>Take snapshot</translation>
    </message>
    <message>
        <source>县级中心拒绝了同步（HTTP {status}）：{reason}</source>
        <translation>The county refused the sync (HTTP {status}): {reason}</translation>
    </message>
    <message>
        <source>县级中心拒绝了本站凭据：{reason}</source>
        <translation>The county refused this centre&apos;s credential: {reason}</translation>
    </message>
    <message>
        <source>版本过旧，请升级客户端：{reason}</source>
        <translation>This version is too old, please upgrade the client: {reason}</translation>
    </message>
    <message>
        <source>县级中心内部错误（HTTP {status}），稍后自动重试。</source>
        <translation>Internal error at the county (HTTP {status}); retrying automatically later.</translation>
    </message>
    <message>
        <source>县级中心的证书无法验证，请检查证书设置。</source>
        <translation>The county&apos;s certificate cannot be verified; check the certificate setting.</translation>
    </message>
    <message>
        <source>县级中心响应超时，稍后自动重试。</source>
        <translation>The county did not answer in time; retrying automatically later.</translation>
    </message>
    <message>
        <source>无法连接县级中心，数据已保存在本机，恢复后自动同步。</source>
        <translation>Cannot reach the county; the data is kept here and syncs automatically once the link is back.</translation>
    </message>
    <message>
        <source>县级中心返回了无法识别的数据（HTTP {status}）。</source>
        <translation>The county answered with data that cannot be read (HTTP {status}).</translation>
    </message>
    <message>
        <source>县级中心返回了无法识别的错误（HTTP {status}）。</source>
        <translation>The county answered with an error that cannot be read (HTTP {status}).</translation>
    </message>
    <message>
        <source>县级中心缺少序号 {seq} 起的变更，而本机已不再保存它们，请联系县级中心。</source>
        <translation>The county is missing the changes from number {seq} on, which this centre no longer holds; contact the county centre.</translation>
    </message>
    <message>
        <source>县级中心确认了本机尚未发送的序号，数据不一致，请联系县级中心。</source>
        <translation>The county confirmed numbers this centre has not sent; the data disagree. Contact the county centre.</translation>
    </message>
    <message>
        <source>县级中心只确认了部分变更，稍后继续。</source>
        <translation>The county confirmed only part of the changes; continuing later.</translation>
    </message>
    <message>
        <source>县级中心返回了无法识别的数据。</source>
        <translation>The county answered with data that cannot be read.</translation>
    </message>
    <message>
        <source>查看事件</source>
        <translation>view incidents</translation>
    </message>
    <message>
        <source>登记事件</source>
        <translation>report incidents</translation>
    </message>
    <message>
        <source>事件分流</source>
        <translation>triage incidents</translation>
    </message>
    <message>
        <source>派遣事件</source>
        <translation>dispatch incidents</translation>
    </message>
    <message>
        <source>登记处置情况</source>
        <translation>record handling</translation>
    </message>
    <message>
        <source>核实事件</source>
        <translation>verify incidents</translation>
    </message>
    <message>
        <source>事件结案</source>
        <translation>close incidents</translation>
    </message>
    <message>
        <source>导出事件</source>
        <translation>export incidents</translation>
    </message>
    <message>
        <source>查看视频</source>
        <translation>view video</translation>
    </message>
    <message>
        <source>管理摄像机</source>
        <translation>manage cameras</translation>
    </message>
    <message>
        <source>查看调解日历</source>
        <translation>view the mediation calendar</translation>
    </message>
    <message>
        <source>预约调解室</source>
        <translation>book mediation rooms</translation>
    </message>
    <message>
        <source>管理调解室</source>
        <translation>manage mediation rooms</translation>
    </message>
    <message>
        <source>查看完整身份证号</source>
        <translation>see full ID numbers</translation>
    </message>
    <message>
        <source>办理信访事项</source>
        <translation>handle petitions</translation>
    </message>
    <message>
        <source>查看统计</source>
        <translation>view statistics</translation>
    </message>
    <message>
        <source>修改系统设置</source>
        <translation>change settings</translation>
    </message>
    <message>
        <source>管理用户</source>
        <translation>manage users</translation>
    </message>
    <message>
        <source>管理县级同步</source>
        <translation>manage county sync</translation>
    </message>
    <message>
        <source>查看审计日志</source>
        <translation>view the audit log</translation>
    </message>
    <message>
        <source>您（{name}，{roles}）没有“{permission}”的权限，请联系中心主任或系统管理员。</source>
        <translation>You ({name}, {roles}) may not {permission}; ask the centre head or the system administrator.</translation>
    </message>
    <message>
        <source>无角色</source>
        <translation>no role</translation>
    </message>
    <message>
        <source>录制片段</source>
        <translation>Record clip</translation>
    </message>
    <message>
        <source>取证附加到事件</source>
        <translation>Attach evidence to incident</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Setting</translation>
    </message>
    <message>
        <source>事件</source>
        <translation>Incident</translation>
    </message>
    <message>
        <source>来访</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>来访列表</source>
        <translation>Visit list</translation>
    </message>
    <message>
        <source>摄像机</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>墙面</source>
        <translation>Wall</translation>
    </message>
    <message>
        <source>轮巡</source>
        <translation>Tour</translation>
    </message>
    <message>
        <source>取证</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>请输入用户名和密码。</source>
        <translation>Enter your user name and password.</translation>
    </message>
    <message>
        <source>用户名只能由字母、数字和下划线组成，请重新输入。</source>
        <translation>A user name may hold only letters, digits and underscores; enter it again.</translation>
    </message>
    <message>
        <source>请填写姓名。</source>
        <translation>Enter the name.</translation>
    </message>
    <message>
        <source>普通</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>残疾人优先</source>
        <translation>Disabled (priority)</translation>
    </message>
    <message>
        <source>老年人优先</source>
        <translation>Elderly (priority)</translation>
    </message>
    <message>
        <source>等候中</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>已叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>Being served</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>已离开</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>今天“{service}”的排队号已用完（999 个），请改用其他服务窗口。</source>
        <translation>Today&apos;s numbers for “{service}” are used up (999); use another service.</translation>
    </message>
    <message>
        <source>叫号繁忙，请再按一次“叫下一位”。</source>
        <translation>Calling is busy; press “Call next” again.</translation>
    </message>
    <message>
        <source>服务代号应为一个英文字母（A–Z），现在是“{letter}”。</source>
        <translation>A service code is one letter (A–Z), not “{letter}”.</translation>
    </message>
    <message>
        <source>窗口号应在 1 到 99 之间，现在是 {number}。</source>
        <translation>A window number is between 1 and 99, not {number}.</translation>
    </message>
    <message>
        <source>请为窗口选择至少一项服务。</source>
        <translation>Choose at least one service for the window.</translation>
    </message>
    <message>
        <source>窗口的开放时间应早于关闭时间。</source>
        <translation>The window must open before it closes.</translation>
    </message>
    <message>
        <source>请选择转往的服务或窗口。</source>
        <translation>Choose the service or window to transfer to.</translation>
    </message>
    <message>
        <source>{code} 号现在是“{state}”，不能{step}。</source>
        <translation>Ticket {code} is “{state}”: cannot {step}.</translation>
    </message>
    <message>
        <source>窗口不存在或不属于本中心。</source>
        <translation>The window does not exist or belongs to another centre.</translation>
    </message>
    <message>
        <source>服务代号 {letters} 不存在。</source>
        <translation>Service code {letters} does not exist.</translation>
    </message>
    <message>
        <source>排队号不存在或不属于本中心。</source>
        <translation>The ticket does not exist or belongs to another centre.</translation>
    </message>
    <message>
        <source>{window} 号窗口还有 {code} 号未办结，请先办结、过号或转移。</source>
        <translation>Window {window} still has ticket {code}: finish it, mark it a no-show or transfer it first.</translation>
    </message>
    <message>
        <source>时长应在 5 分钟到 12 小时之间</source>
        <translation>The length must be between 5 minutes and 12 hours</translation>
    </message>
    <message>
        <source>查找范围应在两个月以内，且结束晚于开始</source>
        <translation>The search range must be at most two months, with the end after the start</translation>
    </message>
    <message>
        <source>重复规则应为一行 RRULE，例如 FREQ=WEEKLY;BYDAY=TU;COUNT=10</source>
        <translation>The repeat rule must be one RRULE line, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10</translation>
    </message>
    <message>
        <source>重复规则没有结束日期或次数，请填写结束日期（最长两年）</source>
        <translation>The repeat rule has no end date or count; enter an end date (at most two years)</translation>
    </message>
    <message>
        <source>重复规则从 {first} 起没有产生任何日期，请检查星期和结束日期</source>
        <translation>The repeat rule produces no date from {first}; check the weekdays and the end date</translation>
    </message>
    <message>
        <source>重复规则“{rule}”无法识别（{reason}）</source>
        <translation>The repeat rule “{rule}” cannot be read ({reason})</translation>
    </message>
    <message>
        <source>重复安排超过两年（{first} 起），请缩短结束日期</source>
        <translation>The series runs past two years (from {first}); choose an earlier end date</translation>
    </message>
    <message>
        <source>重复安排超过 {limit} 次，请缩短结束日期</source>
        <translation>The series has more than {limit} occurrences; choose an earlier end date</translation>
    </message>
    <message>
        <source>每次时长应在 5 分钟到 12 小时之间，{minutes} 分钟不行</source>
        <translation>Each occurrence must last 5 minutes to 12 hours, not {minutes} minutes</translation>
    </message>
    <message>
        <source>重复安排中有 {count} 次冲突，第一次在 {day}：{clash}</source>
        <translation>The series has {count} clashes, the first on {day}: {clash}</translation>
    </message>
    <message>
        <source>这场调解不属于重复安排</source>
        <translation>This session is not part of a series</translation>
    </message>
    <message>
        <source>修改后有 {count} 次冲突，第一次在 {day}：{clash}（未作任何修改）</source>
        <translation>After the change {count} occurrences would clash, the first on {day}: {clash} (nothing was changed)</translation>
    </message>
    <message>
        <source>调解安排不存在（可能已被删除）</source>
        <translation>The session does not exist (it may have been deleted)</translation>
    </message>
    <message>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>调解时间缺少时区，请按北京时间填写</source>
        <translation>The session time has no time zone; enter it in Beijing time</translation>
    </message>
    <message>
        <source>结束时间 {end} 早于开始时间 {start}</source>
        <translation>The end time {end} is before the start time {start}</translation>
    </message>
    <message>
        <source>调解时长为零（{start} 开始也在 {start} 结束），请填写结束时间</source>
        <translation>The session has no length (it starts and ends at {start}); enter the end time</translation>
    </message>
    <message>
        <source>调解安排不能跨天：{start_day} {start} 开始，{end_day} {end} 结束，请分成每天一场</source>
        <translation>A session cannot run past midnight: it starts {start_day} {start} and ends {end_day} {end}; book one session per day</translation>
    </message>
    <message>
        <source>时间“{text}”应写成 时:分，例如 08:30</source>
        <translation>The time “{text}” must be written as hours:minutes, e.g. 08:30</translation>
    </message>
    <message>
        <source>星期应为 1 到 7，“{key}”不对</source>
        <translation>The weekday must be 1 to 7, not “{key}”</translation>
    </message>
    <message>
        <source>开放时间应为开始和结束两个时间</source>
        <translation>Opening hours need an opening and a closing time</translation>
    </message>
    <message>
        <source>关门时间 {closes} 不晚于开门时间 {opens}</source>
        <translation>The closing time {closes} is not after the opening time {opens}</translation>
    </message>
    <message>
        <source>已安排</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>已举行</source>
        <translation>Held</translation>
    </message>
    <message>
        <source>未到场</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>{what}含有不可见的控制字符，请重新输入</source>
        <translation>{what} contains invisible control characters; type it again</translation>
    </message>
    <message>
        <source>请填写{what}</source>
        <translation>Enter the {what}</translation>
    </message>
    <message>
        <source>{what}不能超过 {limit} 个字</source>
        <translation>{what} cannot be longer than {limit} characters</translation>
    </message>
    <message>
        <source>{what}应在 0 到 10 亿元之间</source>
        <translation>{what} must be between 0 and 1 billion yuan</translation>
    </message>
    <message>
        <source>这个时段刚被其他工作台预约，请刷新日历后重试</source>
        <translation>This slot was just booked at another desk; refresh the calendar and try again</translation>
    </message>
    <message>
        <source>{what}“{raw}”不是数字</source>
        <translation>{what} “{raw}” is not a number</translation>
    </message>
    <message>
        <source>请至少填写一方当事人</source>
        <translation>Enter at least one party</translation>
    </message>
    <message>
        <source>当事人不能超过 {limit} 人，集体纠纷请登记代表</source>
        <translation>At most {limit} parties; for a collective dispute register representatives</translation>
    </message>
    <message>
        <source>当事人 {name} 的电话“{phone}”应为 11 位手机号或带区号的固定电话</source>
        <translation>The phone number “{phone}” of party {name} must be an 11-digit mobile or a landline with area code</translation>
    </message>
    <message>
        <source>请选择调解结果</source>
        <translation>Choose the outcome</translation>
    </message>
    <message>
        <source>暂停结束日期 {last} 早于开始日期 {first}</source>
        <translation>The closure&apos;s last day {last} is before its first day {first}</translation>
    </message>
    <message>
        <source>所选调解室不存在或已停用</source>
        <translation>The chosen room does not exist or is no longer in use</translation>
    </message>
    <message>
        <source>所选调解员不存在</source>
        <translation>The chosen mediator does not exist</translation>
    </message>
    <message>
        <source>调解案件不存在（可能已被删除）</source>
        <translation>The mediation case does not exist (it may have been deleted)</translation>
    </message>
    <message>
        <source>案件 {case_no} 还没有已举行的调解，不能记录调解不成</source>
        <translation>Case {case_no} has no session held yet; it cannot be recorded as failed</translation>
    </message>
    <message>
        <source>这场调解已是“{status}”，不能再调整时间</source>
        <translation>This session is already “{status}”; its time cannot change</translation>
    </message>
    <message>
        <source>这场调解已是“{status}”，不能再改为“{target}”</source>
        <translation>This session is already “{status}”; it cannot become “{target}”</translation>
    </message>
    <message>
        <source>这场调解 {start} 才开始，还不能登记为“{target}”</source>
        <translation>This session starts at {start}; it cannot be recorded as “{target}” yet</translation>
    </message>
    <message>
        <source>调解员不存在</source>
        <translation>The mediator does not exist</translation>
    </message>
    <message>
        <source>调解员 {name} 已停用，不能安排调解</source>
        <translation>Mediator {name} is deactivated and cannot be booked</translation>
    </message>
    <message>
        <source>所选当事人不属于案件 {case_no}</source>
        <translation>The chosen parties do not belong to case {case_no}</translation>
    </message>
    <message>
        <source>值班安排至少要有一位调解员</source>
        <translation>A duty slot needs at least one mediator</translation>
    </message>
    <message>
        <source>调解成功须填写调解协议内容</source>
        <translation>A successful mediation needs the agreement text</translation>
    </message>
    <message>
        <source>案件 {case_no} 还没有已举行的调解，不能记录调解成功</source>
        <translation>Case {case_no} has no session held yet; it cannot be recorded as successful</translation>
    </message>
    <message>
        <source>调解员 {name} 还有 {count} 场未开始的调解，请先改派或取消</source>
        <translation>Mediator {name} still has {count} sessions ahead; reassign or cancel them first</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>调解中</source>
        <translation>In mediation</translation>
    </message>
    <message>
        <source>调解成功</source>
        <translation>Agreement reached</translation>
    </message>
    <message>
        <source>调解不成</source>
        <translation>No agreement</translation>
    </message>
    <message>
        <source>转诉讼</source>
        <translation>Referred to court</translation>
    </message>
    <message>
        <source>申请司法确认</source>
        <translation>Judicial confirmation</translation>
    </message>
    <message>
        <source>撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>安排调解</source>
        <translation>book a session</translation>
    </message>
    <message>
        <source>记录调解成功</source>
        <translation>record an agreement</translation>
    </message>
    <message>
        <source>记录调解不成</source>
        <translation>record no agreement</translation>
    </message>
    <message>
        <source>还有人在等候只有 {window} 号窗口办理的服务（{services}），请先转移或办结再关闭。</source>
        <translation>People still wait for a service only window {window} calls ({services}); transfer or finish them before closing.</translation>
    </message>
    <message>
        <source>重呼</source>
        <translation>recall</translation>
    </message>
    <message>
        <source>开始办理</source>
        <translation>start serving</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>finish</translation>
    </message>
    <message>
        <source>{code} 号只重呼了 {recalls} 次，重呼 {needed} 次后才能过号。</source>
        <translation>Ticket {code} was recalled only {recalls} times; it can be a no-show after {needed} recalls.</translation>
    </message>
    <message>
        <source>离开</source>
        <translation>mark as left</translation>
    </message>
    <message>
        <source>转移</source>
        <translation>transfer</translation>
    </message>
    <message>
        <source>要转往的服务不存在。</source>
        <translation>The service to transfer to does not exist.</translation>
    </message>
    <message>
        <source>身份证号码应为 18 位（或旧式 15 位），现在是 {length} 位，请核对。</source>
        <translation>An ID number has 18 digits (or 15 in the old form), this one has {length}; check it.</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期 {born} 早于 120 年前，请核对。</source>
        <translation>The birth date {born} in the ID number is more than 120 years ago; check it.</translation>
    </message>
    <message>
        <source>身份证号码第 {position} 位是“{char}”，应为数字（只有第 18 位可以是 X），请核对。</source>
        <translation>Character {position} of the ID number is “{char}”: it must be a digit (only the 18th may be X); check it.</translation>
    </message>
    <message>
        <source>联系电话“{phone}”不像 11 位手机号、带区号的固定电话或以 + 开头的国际号码，请核对。</source>
        <translation>The phone “{phone}” is not an 11-digit mobile, a landline with area code or an international number starting with +; check it.</translation>
    </message>
    <message>
        <source>姓名不能超过 {most} 个字（现在 {length} 个）。</source>
        <translation>A name has at most {most} characters (this one has {length}).</translation>
    </message>
    <message>
        <source>证件说明不能超过 {most} 个字。</source>
        <translation>The document note has at most {most} characters.</translation>
    </message>
    <message>
        <source>{field}第 {position} 个字符是无法识别的残缺字符，请重新输入。</source>
        <translation>{field}: character {position} is a broken character; type it again.</translation>
    </message>
    <message>
        <source>{field}第 {position} 个字符是控制字符，请删除后重新输入。</source>
        <translation>{field}: character {position} is a control character; delete it and type again.</translation>
    </message>
    <message>
        <source>{field}第 {position} 个字符是看不见的格式字符（零宽或方向控制），多半是复制粘贴带来的，请删除后重新输入。</source>
        <translation>{field}: character {position} is an invisible formatting character (zero-width or direction control), probably pasted; delete it and type again.</translation>
    </message>
    <message>
        <source>《信访工作条例》（2022）</source>
        <translation>Regulations on Petition Work (2022)</translation>
    </message>
    <message>
        <source>走访</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>来信</source>
        <translation>Letter</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>网上信访</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>待决定受理</source>
        <translation>Awaiting acceptance</translation>
    </message>
    <message>
        <source>已答复</source>
        <translation>Replied</translation>
    </message>
    <message>
        <source>复查中</source>
        <translation>Under review</translation>
    </message>
    <message>
        <source>已复查</source>
        <translation>Reviewed</translation>
    </message>
    <message>
        <source>复核中</source>
        <translation>Under re-examination</translation>
    </message>
    <message>
        <source>已复核</source>
        <translation>Re-examined</translation>
    </message>
    <message>
        <source>受理告知</source>
        <translation>Acceptance notice</translation>
    </message>
    <message>
        <source>办结答复</source>
        <translation>Handling and reply</translation>
    </message>
    <message>
        <source>第三十五条</source>
        <translation>Art. 35</translation>
    </message>
    <message>
        <source>请求复查</source>
        <translation>Request review</translation>
    </message>
    <message>
        <source>复查意见</source>
        <translation>Review opinion</translation>
    </message>
    <message>
        <source>第三十六条</source>
        <translation>Art. 36</translation>
    </message>
    <message>
        <source>无法连接中心数据库服务器，本次操作未保存；已填写的内容仍在窗口中，连接恢复后请再保存一次。</source>
        <translation>Cannot reach the centre&apos;s database server: this was not saved. What you typed is still in the window; save again once the connection is back.</translation>
    </message>
    <message>
        <source>月份应写成 年-月，例如 2026-11，“{month}”不对</source>
        <translation>The month must be written year-month, e.g. 2026-11, not “{month}”</translation>
    </message>
    <message>
        <source>日历文件中有全天事件，值班安排需要开始和结束时间</source>
        <translation>The calendar file has all-day events; a duty slot needs a start and an end time</translation>
    </message>
    <message>
        <source>日历文件太大（{size} KB，最多 {limit} KB）</source>
        <translation>The calendar file is too large ({size} KB, at most {limit} KB)</translation>
    </message>
    <message>
        <source>日历文件在所选时间内有 {count} 个事件，最多 {limit} 个</source>
        <translation>The calendar file has {count} events in the chosen period, at most {limit}</translation>
    </message>
    <message>
        <source>不是有效的 iCalendar 文件（{reason}）</source>
        <translation>Not a valid iCalendar file ({reason})</translation>
    </message>
    <message>
        <source>“{summary}”中没有本中心调解员的名字</source>
        <translation>“{summary}” names none of the centre&apos;s mediators</translation>
    </message>
    <message>
        <source>文件中“{summary}”{start}–{end} 与另一事件重叠</source>
        <translation>In the file, “{summary}” {start}–{end} overlaps another event</translation>
    </message>
    <message>
        <source>人民调解员</source>
        <translation>People&apos;s mediator</translation>
    </message>
    <message>
        <source>律师</source>
        <translation>Lawyer</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <source>心理咨询师</source>
        <translation>Psychologist</translation>
    </message>
    <message>
        <source>每位调解员最多列出 {limit} 个空闲时段</source>
        <translation>At most {limit} free slots can be listed per mediator</translation>
    </message>
    <message>
        <source>调解员 {name} {weekday}可约时间为 {hours}，{start}–{end} 不在其中</source>
        <translation>Mediator {name} can sit on {weekday} at {hours}; {start}–{end} is outside that</translation>
    </message>
    <message>
        <source>{room} 只能容纳 {capacity} 人，本场有 {people} 人（当事人和调解员）</source>
        <translation>{room} holds {capacity} people; this session has {people} (parties and mediators)</translation>
    </message>
    <message>
        <source>{room} 的开放时间是 {opens}–{closes}，{start}–{end} 超出了开放时间</source>
        <translation>{room} is open {opens}–{closes}; {start}–{end} is outside the opening hours</translation>
    </message>
    <message>
        <source>{room} 在 {first} 至 {last} 暂停使用（{reason}）</source>
        <translation>{room} is closed from {first} to {last} ({reason})</translation>
    </message>
    <message>
        <source>{day} 是法定节假日，{room} 不开放</source>
        <translation>{day} is a public holiday; {room} is closed</translation>
    </message>
    <message>
        <source>{room} {weekday}（{day}）不开放</source>
        <translation>{room} is closed on {weekday} ({day})</translation>
    </message>
    <message>
        <source>争议金额</source>
        <translation>amount in dispute</translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation>dispute category</translation>
    </message>
    <message>
        <source>纠纷概要</source>
        <translation>dispute summary</translation>
    </message>
    <message>
        <source>当事人姓名</source>
        <translation>party&apos;s name</translation>
    </message>
    <message>
        <source>调解协议内容</source>
        <translation>agreement text</translation>
    </message>
    <message>
        <source>协议金额</source>
        <translation>agreed amount</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>note</translation>
    </message>
    <message>
        <source>从调解菜单选择调解员须先选定调解案件</source>
        <translation>Choose a mediation case before picking a mediator from the menu</translation>
    </message>
    <message>
        <source>取消原因</source>
        <translation>reason for cancelling</translation>
    </message>
    <message>
        <source>暂停原因</source>
        <translation>reason for the closure</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>title</translation>
    </message>
    <message>
        <source>案件名称</source>
        <translation>case title</translation>
    </message>
    <message>
        <source>调解室 {name} 已有安排：与 {start}–{end} {room} {title}冲突</source>
        <translation>Room {name} is booked: clashes with {start}–{end} {room} {title}</translation>
    </message>
    <message>
        <source>调解室 {name} 两场之间要留 {minutes} 分钟：与 {start}–{end} {room} {title}冲突</source>
        <translation>Room {name} needs {minutes} minutes between sessions: clashes with {start}–{end} {room} {title}</translation>
    </message>
    <message>
        <source>调解员 {name} 已有安排：与 {start}–{end} {room} {title}冲突</source>
        <translation>Mediator {name} is booked: clashes with {start}–{end} {room} {title}</translation>
    </message>
    <message>
        <source>当事人 {name} 已有安排：与 {start}–{end} {room} {title}冲突</source>
        <translation>Party {name} is booked: clashes with {start}–{end} {room} {title}</translation>
    </message>
    <message>
        <source>调解案件 {case_no} 当前为“{state}”，不能安排调解</source>
        <translation>Mediation case {case_no} is “{state}”; no session can be booked for it</translation>
    </message>
    <message>
        <source>调解案件 {case_no} 当前为“{state}”，不能记录调解成功</source>
        <translation>Mediation case {case_no} is “{state}”; an agreement cannot be recorded</translation>
    </message>
    <message>
        <source>调解案件 {case_no} 当前为“{state}”，不能记录调解不成</source>
        <translation>Mediation case {case_no} is “{state}”; a failed mediation cannot be recorded</translation>
    </message>
    <message>
        <source>调解案件 {case_no} 当前为“{state}”，不能转诉讼</source>
        <translation>Mediation case {case_no} is “{state}”; it cannot be referred to court</translation>
    </message>
    <message>
        <source>调解案件 {case_no} 当前为“{state}”，不能申请司法确认</source>
        <translation>Mediation case {case_no} is “{state}”; judicial confirmation cannot be applied for</translation>
    </message>
    <message>
        <source>调解案件 {case_no} 当前为“{state}”，不能撤回</source>
        <translation>Mediation case {case_no} is “{state}”; it cannot be withdrawn</translation>
    </message>
    <message>
        <source>请求复核</source>
        <translation>Request re-examination</translation>
    </message>
    <message>
        <source>复核意见</source>
        <translation>Re-examination opinion</translation>
    </message>
    <message>
        <source>信访编号分配繁忙，请再保存一次。</source>
        <translation>Numbering is busy; save again.</translation>
    </message>
    <message>
        <source>收到日期 {day} 晚于今天，请核对。</source>
        <translation>The date received {day} is after today; check it.</translation>
    </message>
    <message>
        <source>收到日期 {day} 早于一年前，请核对。</source>
        <translation>The date received {day} is more than a year ago; check it.</translation>
    </message>
    <message>
        <source>请填写告知信访人的书面告知内容。</source>
        <translation>Enter the written notice to the petitioner.</translation>
    </message>
    <message>
        <source>受理时请填写办理机关、单位。</source>
        <translation>Enter the body that handles the accepted petition.</translation>
    </message>
    <message>
        <source>延长期限不得超过 {most} 日（现在是 {days} 日）。</source>
        <translation>An extension is at most {most} days (not {days}).</translation>
    </message>
    <message>
        <source>请填写延期理由（须告知信访人）。</source>
        <translation>Enter the reason for the extension (the petitioner is told).</translation>
    </message>
    <message>
        <source>听证天数应在 1 到 90 之间。</source>
        <translation>Hearing days are between 1 and 90.</translation>
    </message>
    <message>
        <source>请填写书面意见的内容。</source>
        <translation>Enter the written opinion.</translation>
    </message>
    <message>
        <source>{number} 现在是“{state}”，不能{step}。</source>
        <translation>{number} is “{state}”: cannot {step}.</translation>
    </message>
    <message>
        <source>决定是否受理</source>
        <translation>decide on acceptance</translation>
    </message>
    <message>
        <source>延期</source>
        <translation>extend</translation>
    </message>
    <message>
        <source>{number} 已延期 {days} 日，办理期限只能延长一次。</source>
        <translation>{number} was already extended by {days} days; the period can be extended only once.</translation>
    </message>
    <message>
        <source>登记听证</source>
        <translation>record a hearing</translation>
    </message>
    <message>
        <source>请求已超过期限：应在 {due} 前提出（{article}），不再受理。</source>
        <translation>Too late: the request had to be made by {due} ({article}); it is not accepted.</translation>
    </message>
    <message>
        <source>信访事项不存在或不属于本中心。</source>
        <translation>The petition does not exist or belongs to another centre.</translation>
    </message>
    <message>
        <source>大厅服务“{letter}”不存在或已停用，请重新选择。</source>
        <translation>Hall service “{letter}” does not exist or is closed; choose again.</translation>
    </message>
    <message>
        <source>来访人数应在 1 到 {most} 之间。</source>
        <translation>The number of visitors is between 1 and {most}.</translation>
    </message>
    <message>
        <source>事由不能超过 {most} 个字。</source>
        <translation>The purpose has at most {most} characters.</translation>
    </message>
    <message>
        <source>来访记录不存在或不属于本中心。</source>
        <translation>The visit does not exist or belongs to another centre.</translation>
    </message>
    <message>
        <source>保存时与中心数据库服务器的连接中断，无法确认是否已保存。连接恢复后请先刷新查看，确认没有保存再重新保存，以免重复登记。</source>
        <translation>The link to the centre database server was lost while saving: whether it was saved cannot be confirmed. Once the link is back, refresh and check first; save again only if it is not there, so nothing is registered twice.</translation>
    </message>
    <message>
        <source>不能只有空白</source>
        <translation>must not be only blanks</translation>
    </message>
    <message>
        <source>中心数据库中的文件 {sha} 已损坏或不完整，不能使用；请从原始来源重新添加。</source>
        <translation>The file {sha} in the centre database is damaged or incomplete and cannot be used; please add it again from its original source.</translation>
    </message>
    <message>
        <source>文件 {sha} 不在中心数据库中，本机也没有；请从原始来源重新添加。</source>
        <translation>The file {sha} is neither in the centre database nor on this computer; please add it again from its original source.</translation>
    </message>
    <message>
        <source>文件“{name}”在保存过程中被改动了，请等它写完后重新添加。</source>
        <translation>The file “{name}” changed while it was being saved; wait until it is fully written, then add it again.</translation>
    </message>
    <message>
        <source>文件 {sha} 不在中心数据库中。</source>
        <translation>The file {sha} is not in the centre database.</translation>
    </message>
    <message>
        <source>{what}应为 {low} 到 {high} 的整数，“{raw}”不行</source>
        <translation>{what} must be a whole number from {low} to {high}; “{raw}” is not</translation>
    </message>
    <message>
        <source>擅长领域不能超过 {limit} 项</source>
        <translation>At most {limit} specialities</translation>
    </message>
    <message>
        <source>时段“{part}”应写成 开始-结束，例如 09:00-12:00</source>
        <translation>Write the span “{part}” as start-end, e.g. 09:00-12:00</translation>
    </message>
    <message>
        <source>时段 {span} 的结束不晚于开始</source>
        <translation>The span {span} does not end after it starts</translation>
    </message>
    <message>
        <source>时段 {first} 和 {second} 重叠，请合并</source>
        <translation>The spans {first} and {second} overlap; merge them</translation>
    </message>
    <message>
        <source>每个时段应为开始和结束两个时间</source>
        <translation>Each span needs a start and an end time</translation>
    </message>
    <message>
        <source>擅长领域</source>
        <translation>Specialities</translation>
    </message>
    <message>
        <source>调解室名称</source>
        <translation>Room name</translation>
    </message>
    <message>
        <source>调解室类型</source>
        <translation>Room kind</translation>
    </message>
    <message>
        <source>容纳人数</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>开始前预留</source>
        <translation>Buffer before</translation>
    </message>
    <message>
        <source>结束后预留</source>
        <translation>Buffer after</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Equipment</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>暂停使用一次不能超过一年，请分段登记</source>
        <translation>A closure may last at most a year; enter it in parts</translation>
    </message>
    <message>
        <source>调解员姓名</source>
        <translation>Mediator&apos;s name</translation>
    </message>
    <message>
        <source>请选择调解员类别</source>
        <translation>Choose the mediator&apos;s kind</translation>
    </message>
    <message>
        <source>所在单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>电话“{phone}”应为 11 位手机号或带区号的固定电话</source>
        <translation>The phone “{phone}” must be an 11-digit mobile number or a landline with its area code</translation>
    </message>
    <message>
        <source>请选择另一位调解员接手</source>
        <translation>Choose another mediator to take over</translation>
    </message>
    <message>
        <source>已有名为“{name}”的调解室</source>
        <translation>There is already a room named “{name}”</translation>
    </message>
    <message>
        <source>调解室不存在（可能已被删除）</source>
        <translation>The room does not exist (it may have been deleted)</translation>
    </message>
    <message>
        <source>这几天还有 {count} 场调解，请先改期或取消：{sessions}</source>
        <translation>{count} sessions are booked on those days; move or cancel them first: {sessions}</translation>
    </message>
    <message>
        <source>这条暂停使用记录不存在（可能已被删除）</source>
        <translation>This closure does not exist (it may have been deleted)</translation>
    </message>
    <message>
        <source>调解室 {name} 还有 {count} 场未开始的调解，请先改到其他调解室或取消：{sessions}</source>
        <translation>Room {name} still has {count} sessions ahead; move them to another room or cancel them first: {sessions}</translation>
    </message>
    <message>
        <source>调解员 {name} 还有 {count} 场未开始的调解，请先改派或取消：{sessions}</source>
        <translation>Mediator {name} still has {count} sessions ahead; hand them over or cancel them first: {sessions}</translation>
    </message>
    <message>
        <source>{session} 改由 {name} 调解不行：{clash}（未作任何修改）</source>
        <translation>{session} cannot go to {name}: {clash} (nothing was changed)</translation>
    </message>
    <message>
        <source>请至少选择一个星期几</source>
        <translation>Choose at least one weekday</translation>
    </message>
    <message>
        <source>星期应为 1 到 7</source>
        <translation>Weekdays are 1 to 7</translation>
    </message>
    <message>
        <source>请填写结束日期或次数（二选一）</source>
        <translation>Give an end date or a number of times (one of them)</translation>
    </message>
    <message>
        <source>次数应为 1 到 {limit} 的整数，“{raw}”不行</source>
        <translation>The number of times must be a whole number from 1 to {limit}; “{raw}” is not</translation>
    </message>
    <message>
        <source>值班轮值不存在（可能已被删除）</source>
        <translation>The rota does not exist (it may have been deleted)</translation>
    </message>
    <message>
        <source>{day} {time} 已在这个轮值中</source>
        <translation>{day} {time} is already in this rota</translation>
    </message>
    <message>
        <source>只能选“拒绝”（refuse）或“提醒”（warn），“{value}”不行</source>
        <translation>Choose “refuse” (拒绝) or “warn” (提醒); “{value}” is neither</translation>
    </message>
    <message>
        <source>本地工作日表中没有 {day}</source>
        <translation>{day} is not in the centre&apos;s working-day table</translation>
    </message>
    <message>
        <source>元旦</source>
        <translation>New Year&apos;s Day</translation>
    </message>
    <message>
        <source>春节</source>
        <translation>Spring Festival</translation>
    </message>
    <message>
        <source>清明节</source>
        <translation>Tomb-Sweeping Day</translation>
    </message>
    <message>
        <source>劳动节</source>
        <translation>Labour Day</translation>
    </message>
    <message>
        <source>端午节</source>
        <translation>Dragon Boat Festival</translation>
    </message>
    <message>
        <source>国庆节</source>
        <translation>National Day</translation>
    </message>
    <message>
        <source>中秋节</source>
        <translation>Mid-Autumn Festival</translation>
    </message>
    <message>
        <source>抗战胜利 70 周年纪念日</source>
        <translation>70th anniversary of the victory in the War of Resistance</translation>
    </message>
    <message>
        <source>第 {line} 行的日期“{text}”不在 2000–2100 年之间</source>
        <translation>The date “{text}” on line {line} is not between 2000 and 2100</translation>
    </message>
    <message>
        <source>一次最多导入 {limit} 行</source>
        <translation>At most {limit} lines can be imported at once</translation>
    </message>
    <message>
        <source>没有读到任何日期，每行应为 日期 休/班 说明</source>
        <translation>No date was read; each line should be: date off/work note</translation>
    </message>
    <message>
        <source>{year} 年的法定节假日和调休安排还没有录入，{day} 暂按星期计算（周一至周五上班），请中心主任在“工作日”中录入</source>
        <translation>The official holidays and make-up working days of {year} are not entered yet; {day} counts by its weekday (Monday to Friday working) until the centre head enters them under “Working days”</translation>
    </message>
    <message>
        <source>第 {line} 行的日期“{text}”不存在</source>
        <translation>The date “{text}” on line {line} does not exist</translation>
    </message>
    <message>
        <source>第 {line} 行含有不可见的控制字符</source>
        <translation>Line {line} contains invisible control characters</translation>
    </message>
    <message>
        <source>第 {line} 行“{text}”看不懂：应为 日期 休/班 说明，例如 2027-02-14 班 春节调休</source>
        <translation>Line {line} “{text}” cannot be read: write date off/work note, e.g. 2027-02-14 work make-up day</translation>
    </message>
    <message>
        <source>第 {line} 行的日期范围应从早到晚、不超过 {limit} 天</source>
        <translation>The date range on line {line} must run forwards and cover at most {limit} days</translation>
    </message>
    <message>
        <source>{window} 号窗口已关闭，请转往开放的窗口。</source>
        <translation>Window {window} is closed; send the ticket to an open window.</translation>
    </message>
    <message>
        <source>{window} 号窗口不办理“{service}”，请转往办理该服务的窗口，或同时转服务。</source>
        <translation>Window {window} does not serve “{service}”; send the ticket to a window that does, or change its service as well.</translation>
    </message>
    <message>
        <source>{code} 号已不在 {window} 号窗口（其他窗口已转移或处理），请看刷新后的当前号。</source>
        <translation>Number {code} is no longer at window {window} (another desk transferred or handled it); see the current number, now refreshed.</translation>
    </message>
    <message>
        <source>{window} 号窗口已关闭或暂停，请先恢复开放再叫号。</source>
        <translation>Window {window} is closed or paused; reopen it before calling.</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期 {born} 晚于今天，请核对。</source>
        <translation>The birth date {born} in the ID number is later than today; please check.</translation>
    </message>
    <message>
        <source>身份证号码前 6 位的地区代码 {code} 不存在，请核对。</source>
        <translation>The region code {code} (the first 6 digits of the ID number) does not exist; please check.</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期 {year} 年 {month} 月 {day} 日不存在，请核对。</source>
        <translation>The birth date in the ID number (year {year}, month {month}, day {day}) does not exist; please check.</translation>
    </message>
    <message>
        <source>姓名“{name}”里没有文字，请填写姓名。</source>
        <translation>The name “{name}” has no letters in it; please enter the name.</translation>
    </message>
    <message>
        <source>姓名“{name}”的间隔号（·）或连字符只能写在两部分姓名之间，请核对。</source>
        <translation>In the name “{name}” a middle dot (·) or hyphen may only stand between two parts of the name; please check.</translation>
    </message>
    <message>
        <source>联系电话“{phone}”中有“{char}”：电话只能由数字组成（可带 +86、空格、横线、括号或分机号），请核对。</source>
        <translation>The phone “{phone}” contains “{char}”: a phone number is made of digits (+86, spaces, hyphens, brackets or an extension are allowed); please check.</translation>
    </message>
    <message>
        <source>联系电话“{phone}”是 {length} 位：手机号应为 11 位，请核对。</source>
        <translation>The phone “{phone}” has {length} digits: a mobile number has 11. Please check.</translation>
    </message>
    <message>
        <source>联系电话“{phone}”共 {length} 位：固定电话应为区号加 7 到 8 位号码（如 0577-64781234），请核对。</source>
        <translation>The phone “{phone}” has {length} digits: a landline is an area code and a 7- or 8-digit number (e.g. 0577-64781234). Please check.</translation>
    </message>
    <message>
        <source>姓名中的“{char}”不是文字，姓名只能包含文字、间隔号（·）、空格和连字符，请核对。</source>
        <translation>“{char}” in the name is not a letter; a name may contain only letters, the middle dot (·), spaces and hyphens. Please check.</translation>
    </message>
    <message>
        <source>联系电话“{phone}”不是固定电话，不能带分机号，请去掉分机号。</source>
        <translation>The phone “{phone}” is not a landline and cannot have an extension; please remove the extension.</translation>
    </message>
    <message>
        <source>第二十二条、第二十三条</source>
        <translation>Art. 22, 23</translation>
    </message>
    <message>
        <source>第三十四条</source>
        <translation>Art. 34</translation>
    </message>
    <message>
        <source>请填写{field}。</source>
        <translation>Enter the {field}.</translation>
    </message>
    <message>
        <source>{field}不能超过 {most} 个字。</source>
        <translation>The {field} has at most {most} characters.</translation>
    </message>
    <message>
        <source>信访事项内容</source>
        <translation>petition matter</translation>
    </message>
    <message>
        <source>书面告知</source>
        <translation>written notice</translation>
    </message>
    <message>
        <source>办理机关、单位</source>
        <translation>handling body</translation>
    </message>
    <message>
        <source>办理机关、单位不能超过 {most} 个字。</source>
        <translation>The handling body has at most {most} characters.</translation>
    </message>
    <message>
        <source>延期理由</source>
        <translation>reason for the extension</translation>
    </message>
    <message>
        <source>延期须经办理机关、单位负责人批准：请填写批准人。</source>
        <translation>An extension needs the approval of the handling body&apos;s head: enter who approved it.</translation>
    </message>
    <message>
        <source>批准人不能超过 {most} 个字。</source>
        <translation>The approver may have at most {most} characters.</translation>
    </message>
    <message>
        <source>书面意见</source>
        <translation>written opinion</translation>
    </message>
    <message>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <source>咨询</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <source>矛盾纠纷</source>
        <translation>Dispute</translation>
    </message>
    <message>
        <source>信访</source>
        <translation>Petition</translation>
    </message>
    <message>
        <source>办事</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>法律援助</source>
        <translation>Legal aid</translation>
    </message>
    <message>
        <source>这次来访已经生成过事件，请直接查看该事件。</source>
        <translation>This visit already started an incident; open that incident.</translation>
    </message>
    <message>
        <source>这次来访已经生成过调解案件，请直接查看该案件。</source>
        <translation>This visit has already started a mediation case; open that case instead.</translation>
    </message>
    <message>
        <source>无法连接中心数据库服务器，正在自动重试；已保存的数据不受影响。</source>
        <translation>Cannot reach the centre&apos;s database server; retrying automatically. Saved data is not affected.</translation>
    </message>
    <message>
        <source>同步时发生内部错误，详情见日志，稍后自动重试。</source>
        <translation>An internal error stopped the sync (details in the log); it will retry shortly.</translation>
    </message>
    <message>
        <source>本机时钟比县级服务器快，请校准系统时间。</source>
        <translation>This computer&apos;s clock is ahead of the county server&apos;s; please correct the system time.</translation>
    </message>
    <message>
        <source>县级中心繁忙（HTTP {status}），稍后自动重试。</source>
        <translation>The county centre is busy (HTTP {status}); retrying automatically.</translation>
    </message>
    <message>
        <source>本机时钟比县级服务器快 {minutes} 分钟，请校准系统时间。</source>
        <translation>This computer&apos;s clock is {minutes} minutes ahead of the county server&apos;s; please correct the system time.</translation>
    </message>
    <message>
        <source>县级中心的变更记录只到 {end}，本机已拉取到 {cursor}：县级中心可能从较早的备份恢复过。本机数据完好，请联系县级管理员处理后再同步。</source>
        <translation>The county&apos;s change log ends at {end}, but this centre has pulled up to {cursor}: the county may have been restored from an older backup. This centre&apos;s data is intact; ask the county administrator to sort it out before syncing again.</translation>
    </message>
    <message>
        <source>删除无引用的存储文件</source>
        <translation>Remove unused stored file</translation>
    </message>
    <message>
        <source>新增大厅服务</source>
        <translation>Add hall service</translation>
    </message>
    <message>
        <source>新增窗口</source>
        <translation>Add window</translation>
    </message>
    <message>
        <source>开放窗口</source>
        <translation>Open window</translation>
    </message>
    <message>
        <source>关闭窗口</source>
        <translation>Close window</translation>
    </message>
    <message>
        <source>窗口值守人员</source>
        <translation>Clerk at window</translation>
    </message>
    <message>
        <source>取号</source>
        <translation>Ticket issued</translation>
    </message>
    <message>
        <source>叫号</source>
        <translation>Ticket called</translation>
    </message>
    <message>
        <source>办理完毕</source>
        <translation>Served</translation>
    </message>
    <message>
        <source>转窗口</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <source>信访登记</source>
        <translation>Petition registered</translation>
    </message>
    <message>
        <source>信访受理</source>
        <translation>Petition accepted</translation>
    </message>
    <message>
        <source>信访不予受理</source>
        <translation>Petition not accepted</translation>
    </message>
    <message>
        <source>信访延期</source>
        <translation>Petition extended</translation>
    </message>
    <message>
        <source>信访书面答复</source>
        <translation>Petition answered in writing</translation>
    </message>
    <message>
        <source>复核听证</source>
        <translation>Re-check hearing</translation>
    </message>
    <message>
        <source>信访办结</source>
        <translation>Petition closed</translation>
    </message>
    <message>
        <source>调解案件受理</source>
        <translation>Mediation case accepted</translation>
    </message>
    <message>
        <source>预约调解</source>
        <translation>Mediation booked</translation>
    </message>
    <message>
        <source>调整调解时间</source>
        <translation>Mediation moved</translation>
    </message>
    <message>
        <source>撤回调解</source>
        <translation>Mediation withdrawn</translation>
    </message>
    <message>
        <source>调解重新安排</source>
        <translation>Mediation re-planned</translation>
    </message>
    <message>
        <source>调解已举行</source>
        <translation>Mediation held</translation>
    </message>
    <message>
        <source>调解未到场</source>
        <translation>Mediation no-show</translation>
    </message>
    <message>
        <source>取消调解</source>
        <translation>Mediation cancelled</translation>
    </message>
    <message>
        <source>新建值班安排</source>
        <translation>Duty rota created</translation>
    </message>
    <message>
        <source>修改值班安排</source>
        <translation>Duty rota changed</translation>
    </message>
    <message>
        <source>更正工作日</source>
        <translation>Working day corrected</translation>
    </message>
    <message>
        <source>调解室停用时段</source>
        <translation>Room closure</translation>
    </message>
    <message>
        <source>启用或停用调解员</source>
        <translation>Mediator activated or deactivated</translation>
    </message>
    <message>
        <source>大厅服务</source>
        <translation>Hall service</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>排队号</source>
        <translation>Queue ticket</translation>
    </message>
    <message>
        <source>信访事项</source>
        <translation>Petition</translation>
    </message>
    <message>
        <source>调解案件</source>
        <translation>Mediation case</translation>
    </message>
    <message>
        <source>调解安排</source>
        <translation>Mediation session</translation>
    </message>
    <message>
        <source>值班安排</source>
        <translation>Duty rota</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Mediation room</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <source>存储文件</source>
        <translation>Stored file</translation>
    </message>
    <message>
        <source>请至少选择一个角色。</source>
        <translation>Choose at least one role.</translation>
    </message>
    <message>
        <source>系统账号没有密码。</source>
        <translation>System accounts have no password.</translation>
    </message>
    <message>
        <source>登录失败次数过多，请 {seconds} 秒后再试。</source>
        <translation>Too many failed sign-ins; try again in {seconds} s.</translation>
    </message>
    <message>
        <source>用户名“{username}”已被使用，请换一个。</source>
        <translation>The user name “{username}” is taken; choose another.</translation>
    </message>
    <message>
        <source>找不到当前用户，请重新登录。</source>
        <translation>The current user was not found; sign in again.</translation>
    </message>
    <message>
        <source>原密码错误，请重新输入。</source>
        <translation>The old password is wrong; enter it again.</translation>
    </message>
    <message>
        <source>找不到该用户。</source>
        <translation>User not found.</translation>
    </message>
    <message>
        <source>请填写工作站名称，例如“接待窗口1”。</source>
        <translation>Enter the workstation&apos;s name, e.g. “Reception window 1”.</translation>
    </message>
    <message>
        <source>工作站名称最多 {limit} 个字。</source>
        <translation>A workstation&apos;s name has at most {limit} characters.</translation>
    </message>
    <message>
        <source>工作站名称含有不能显示的字符（{code}），请重新填写。</source>
        <translation>The workstation&apos;s name contains a character that cannot be shown ({code}); enter it again.</translation>
    </message>
    <message>
        <source>密码至少需要 {length} 位，请重新输入。</source>
        <translation>A password needs at least {length} characters; enter it again.</translation>
    </message>
    <message>
        <source>密码需同时包含字母和数字，请重新输入。</source>
        <translation>A password needs both letters and digits; enter it again.</translation>
    </message>
    <message>
        <source>值班员</source>
        <translation>Duty officer</translation>
    </message>
    <message>
        <source>接待员</source>
        <translation>Reception clerk</translation>
    </message>
    <message>
        <source>视频巡查员</source>
        <translation>Video operator</translation>
    </message>
    <message>
        <source>中心主任</source>
        <translation>Centre head</translation>
    </message>
    <message>
        <source>系统管理员</source>
        <translation>System administrator</translation>
    </message>
    <message>
        <source>乡镇代码应为 9 位数字（区划代码前 9 位），例如 330327102。</source>
        <translation>The township code has 9 digits (the first 9 of the area code), e.g. 330327102.</translation>
    </message>
    <message>
        <source>该项不能为空。</source>
        <translation>This field cannot be empty.</translation>
    </message>
    <message>
        <source>县级服务器地址应以 http:// 或 https:// 开头。</source>
        <translation>The county server address must start with http:// or https://.</translation>
    </message>
    <message>
        <source>同步凭据格式不对，请完整粘贴县级中心签发的凭据。</source>
        <translation>The sync credential is malformed; paste the whole credential the county centre issued.</translation>
    </message>
    <message>
        <source>找不到证书文件“{path}”。</source>
        <translation>Certificate file “{path}” not found.</translation>
    </message>
    <message>
        <source>界面语言只能是 zh_CN 或 en。</source>
        <translation>The interface language can only be zh_CN or en.</translation>
    </message>
    <message>
        <source>该项含有控制字符或过长（最多 {limit} 个字符）。</source>
        <translation>This value contains control characters or is too long (at most {limit} characters).</translation>
    </message>
    <message>
        <source>不支持数据库类型“{driver}”，只能是 PostgreSQL（postgresql+psycopg://…）或 SQLite。</source>
        <translation>The database type “{driver}” is not supported; use PostgreSQL (postgresql+psycopg://…) or SQLite.</translation>
    </message>
    <message>
        <source>数据库地址缺少服务器或数据库名，例如 …@192.168.1.10:5432/zongzhi。</source>
        <translation>The database URL lacks the server or the database name, e.g. …@192.168.1.10:5432/zongzhi.</translation>
    </message>
    <message>
        <source>SQLite 数据库地址缺少文件路径，例如 sqlite:////home/user/centre.db。</source>
        <translation>The SQLite database URL lacks the file path, e.g. sqlite:////home/user/centre.db.</translation>
    </message>
    <message>
        <source>墙面数据无法识别。</source>
        <translation>The wall data cannot be read.</translation>
    </message>
    <message>
        <source>乡镇代码</source>
        <translation>Township code</translation>
    </message>
    <message>
        <source>乡镇名称</source>
        <translation>Township name</translation>
    </message>
    <message>
        <source>中心名称</source>
        <translation>Centre name</translation>
    </message>
    <message>
        <source>县级服务器地址</source>
        <translation>County server address</translation>
    </message>
    <message>
        <source>县级同步凭据</source>
        <translation>County sync credential</translation>
    </message>
    <message>
        <source>县级证书（CA 文件，可空）</source>
        <translation>County certificate (CA file, optional)</translation>
    </message>
    <message>
        <source>同步间隔（秒）</source>
        <translation>Sync interval (seconds)</translation>
    </message>
    <message>
        <source>即将超期提前量（小时）</source>
        <translation>Due-soon warning (hours)</translation>
    </message>
    <message>
        <source>调解预约超出开放时间、节假日或调解员可约时间时（拒绝 / 提醒）</source>
        <translation>Mediation booking outside opening hours, on a holiday or outside a mediator&apos;s hours (refuse / warn)</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>中心数据库地址（空：本机数据库）</source>
        <translation>Centre database URL (empty: the database on this computer)</translation>
    </message>
    <message>
        <source>小票打印机（空：默认打印机）</source>
        <translation>Ticket printer (empty: the default printer)</translation>
    </message>
    <message>
        <source>本机文件缓存上限（MB，下次启动生效）</source>
        <translation>This workstation&apos;s file cache limit (MB, from the next start)</translation>
    </message>
    <message>
        <source>上次墙面</source>
        <translation>Last wall</translation>
    </message>
    <message>
        <source>请输入 1 到 {maximum} 之间的整数。</source>
        <translation>Enter a whole number from 1 to {maximum}.</translation>
    </message>
    <message>
        <source>该项含有无法识别的字符。</source>
        <translation>This value contains characters that cannot be read.</translation>
    </message>
    <message>
        <source>数据库地址格式不对，应形如 postgresql+psycopg://用户:密码@服务器:5432/数据库。</source>
        <translation>The database URL is malformed; it should look like postgresql+psycopg://user:password@server:5432/database.</translation>
    </message>
    <message>
        <source>小票打印机应写作 escpos:主机:端口，例如 escpos:192.168.1.50:9100。</source>
        <translation>Write the ticket printer as escpos:host:port, e.g. escpos:192.168.1.50:9100.</translation>
    </message>
    <message>
        <source>pdf: 之后应写 PDF 文件的路径。</source>
        <translation>After pdf: write the path of the PDF file.</translation>
    </message>
    <message>
        <source>请输入整数。</source>
        <translation>Enter a whole number.</translation>
    </message>
    <message>
        <source>国标编码应为 20 位数字（8 位中心编码 + 2 位行业 + 3 位类型 + 7 位序号），请核对后重新输入。</source>
        <translation>The national code must be 20 digits (8-digit centre code + 2-digit industry + 3-digit type + 7-digit serial); check it and enter it again.</translation>
    </message>
    <message>
        <source>国标编码第 11–13 位是设备类型 {kind}，摄像机应为 131 或 132，请核对。</source>
        <translation>Digits 11–13 of the national code are the device type {kind}; a camera must be 131 or 132. Please check.</translation>
    </message>
    <message>
        <source>文件编码无法识别，请另存为 UTF-8 编码的 CSV 后再导入。</source>
        <translation>The file&apos;s encoding is not recognised; save it as UTF-8 CSV and import again.</translation>
    </message>
    <message>
        <source>导入 {imported} 台摄像机。</source>
        <translation>{imported} cameras imported.</translation>
    </message>
    <message>
        <source>表头缺少必填列：国标编码、名称、主码流。请按模板修改表头后再导入。</source>
        <translation>The header lacks required columns: 国标编码, 名称, 主码流. Fix the header as in the template and import again.</translation>
    </message>
    <message>
        <source>导入 {imported} 台摄像机，{rejected} 行被拒绝（见下表原因，改正后可再次导入）。</source>
        <translation>{imported} cameras imported, {rejected} lines refused (reasons below; correct them and import again).</translation>
    </message>
    <message>
        <source>文件是空的，请选择含表头的摄像机 CSV 文件。</source>
        <translation>The file is empty; choose a camera CSV file with a header.</translation>
    </message>
    <message>
        <source>国标编码 {code} 已在目录中。</source>
        <translation>National code {code} is already in the registry.</translation>
    </message>
    <message>
        <source>找不到村（社区）“{village}”。</source>
        <translation>No village (community) named “{village}”.</translation>
    </message>
    <message>
        <source>国标编码 {code} 在文件中重复。</source>
        <translation>National code {code} appears more than once in the file.</translation>
    </message>
    <message>
        <source>列数为 {found}，表头为 {expected} 列，请检查逗号或引号。</source>
        <translation>The line has {found} columns, the header {expected}; check commas and quotes.</translation>
    </message>
    <message>
        <source>该摄像机正在录制片段，请等本段录完。</source>
        <translation>This camera is already recording a clip; wait until it is finished.</translation>
    </message>
    <message>
        <source>截图文件不是有效的 PNG 图片，请重试。</source>
        <translation>The snapshot file is not a valid PNG picture; please try again.</translation>
    </message>
    <message>
        <source>本机未安装 ffmpeg，无法从主码流截图。</source>
        <translation>ffmpeg is not installed on this computer: no snapshot from the main stream.</translation>
    </message>
    <message>
        <source>无法从主码流取得画面。</source>
        <translation>No picture could be read from the main stream.</translation>
    </message>
    <message>
        <source>本机未安装 ffmpeg，无法录像，请联系管理员安装。</source>
        <translation>ffmpeg is not installed on this computer, so no clip can be recorded; ask the administrator to install it.</translation>
    </message>
    <message>
        <source>录像时长应在 1–600 秒之间。</source>
        <translation>A clip must last 1–600 seconds.</translation>
    </message>
    <message>
        <source>录像失败：摄像机码流无法连接或已中断，没有录到画面。请确认画面正常后重试。</source>
        <translation>Recording failed: the camera stream could not be reached or broke off, and nothing was recorded. Check that the picture plays, then try again.</translation>
    </message>
    <message>
        <source>取证文件没有生成（画面可能尚未播放），请等画面出现后重试。</source>
        <translation>No evidence file was made (the picture may not be playing yet); wait for the picture and try again.</translation>
    </message>
    <message>
        <source>取证材料的文件（{name}）不在中心数据库中，本机也没有，或已损坏；无法附加。</source>
        <translation>The evidence file ({name}) is not in the centre database nor on this workstation, or it is damaged; it cannot be attached.</translation>
    </message>
    <message>
        <source>主码流在 {seconds} 秒内没有送来画面，无法截图。</source>
        <translation>The main stream sent no picture within {seconds} seconds: no snapshot.</translation>
    </message>
    <message>
        <source>找不到该摄像机，可能已被删除。</source>
        <translation>Camera not found; it may have been deleted.</translation>
    </message>
    <message>
        <source>找不到该取证材料，可能已被删除。</source>
        <translation>Evidence not found; it may have been deleted.</translation>
    </message>
    <message>
        <source>找不到该取证材料。</source>
        <translation>Evidence not found.</translation>
    </message>
    <message>
        <source>探测：摄像机没有应答（连接被拒绝、主机不可达或超时）。</source>
        <translation>Probe: the camera did not answer (connection refused, host unreachable or timed out).</translation>
    </message>
    <message>
        <source>探测：视频服务返回错误，没有视频流。</source>
        <translation>Probe: the video service answered with an error, no stream.</translation>
    </message>
    <message>
        <source>探测：已连接，但在时限内没有收到视频数据。</source>
        <translation>Probe: connected, but no video data arrived in time.</translation>
    </message>
    <message>
        <source>探测：视频文件不存在或无法读取。</source>
        <translation>Probe: the video file does not exist or cannot be read.</translation>
    </message>
    <message>
        <source>探测：本机未安装 ffprobe，无法探测该协议。</source>
        <translation>Probe: ffprobe is not installed on this computer; this protocol cannot be probed.</translation>
    </message>
    <message>
        <source>探测：本机播放器无法播放该地址（协议不支持或地址格式错误）。</source>
        <translation>Probe: this computer&apos;s player cannot play the address (unsupported protocol or malformed address).</translation>
    </message>
    <message>
        <source>主码流</source>
        <translation>Main stream</translation>
    </message>
    <message>
        <source>子码流</source>
        <translation>Sub stream</translation>
    </message>
    <message>
        <source>请填写摄像机名称。</source>
        <translation>Please enter the camera&apos;s name.</translation>
    </message>
    <message>
        <source>找不到村（社区）“{village}”，请先在区划中建立或改用已有名称。</source>
        <translation>No village (community) named “{village}”; create it in the divisions first or use an existing name.</translation>
    </message>
    <message>
        <source>国标编码 {code} 已被其他摄像机使用，请核对。</source>
        <translation>National code {code} is already used by another camera. Please check.</translation>
    </message>
    <message>
        <source>摄像机名称不能超过 64 个字。</source>
        <translation>A camera&apos;s name can have at most 64 characters.</translation>
    </message>
    <message>
        <source>请填写主码流地址。</source>
        <translation>Please enter the main stream&apos;s address.</translation>
    </message>
    <message>
        <source>{stream}地址有误：{problem}</source>
        <translation>{stream} address: {problem}</translation>
    </message>
    <message>
        <source>找不到该摄像机，可能已被删除，请刷新目录。</source>
        <translation>Camera not found; it may have been deleted. Refresh the camera tree.</translation>
    </message>
    <message>
        <source>连接超时，稍后自动重连。</source>
        <translation>Connection timed out; reconnecting shortly.</translation>
    </message>
    <message>
        <source>画面停滞，正在等待恢复。</source>
        <translation>Picture frozen; waiting for it to resume.</translation>
    </message>
    <message>
        <source>画面长时间停滞，已断开并将自动重连。</source>
        <translation>Picture frozen too long; disconnected, will reconnect by itself.</translation>
    </message>
    <message>
        <source>视频流已结束（摄像机或网络中断），稍后自动重连。</source>
        <translation>The stream ended (camera or network down); reconnecting shortly.</translation>
    </message>
    <message>
        <source>无法打开视频流（地址不可达或格式不支持），稍后自动重连。</source>
        <translation>Cannot open the stream (address unreachable or format not supported); reconnecting shortly.</translation>
    </message>
    <message>
        <source>视频地址缺少协议（如 http://），请在摄像机资料中改正。</source>
        <translation>The video address has no protocol (such as http://); correct it in the camera&apos;s details.</translation>
    </message>
    <message>
        <source>本机播放器不支持 {protocol} 协议，请改用 HTTP/HLS 或 RTP 地址（可经流媒体网关转换）。</source>
        <translation>This computer&apos;s player does not support {protocol}; use an HTTP/HLS or RTP address instead (a streaming gateway can convert it).</translation>
    </message>
    <message>
        <source>不支持的视频协议“{scheme}”，请改用 HTTP 或 RTP 地址。</source>
        <translation>Unsupported video protocol “{scheme}”; use an HTTP or RTP address.</translation>
    </message>
    <message>
        <source>视频地址格式错误，请在摄像机资料中改正。</source>
        <translation>The video address is malformed; correct it in the camera&apos;s details.</translation>
    </message>
    <message>
        <source>视频地址缺少主机名，请在摄像机资料中改正。</source>
        <translation>The video address has no host name; correct it in the camera&apos;s details.</translation>
    </message>
    <message>
        <source>视频地址端口号错误，请在摄像机资料中改正。</source>
        <translation>The video address has a wrong port number; correct it in the camera&apos;s details.</translation>
    </message>
    <message>
        <source>找不到轮巡方案“{name}”。</source>
        <translation>No tour named “{name}”.</translation>
    </message>
    <message>
        <source>轮巡列表为空，请先加入摄像机。</source>
        <translation>The tour is empty; add cameras first.</translation>
    </message>
    <message>
        <source>请为轮巡方案起个名称。</source>
        <translation>Give the tour a name.</translation>
    </message>
    <message>
        <source>轮巡方案名称最多 {limit} 个字。</source>
        <translation>A tour&apos;s name can have at most {limit} characters.</translation>
    </message>
    <message>
        <source>未知的分屏方式，请重新选择。</source>
        <translation>Unknown layout; choose again.</translation>
    </message>
    <message>
        <source>轮巡列表为空，请先加入摄像机或村/点位。</source>
        <translation>The tour is empty; add cameras or villages/sites first.</translation>
    </message>
    <message>
        <source>第 {n} 项的停留时间应在 {low} 秒到 1 小时（{high} 秒）之间。</source>
        <translation>Item {n}: the dwell time must be between {low} seconds and 1 hour ({high} seconds).</translation>
    </message>
    <message>
        <source>第 {n} 项的摄像机已不在目录中，请删除该项。</source>
        <translation>Item {n}: the camera is no longer in the registry; remove the item.</translation>
    </message>
    <message>
        <source>第 {n} 项的村/点位为空，请重新选择。</source>
        <translation>Item {n}: the village/site is empty; choose it again.</translation>
    </message>
    <message>
        <source>找不到轮巡方案“{name}”，可能已被删除。</source>
        <translation>No tour named “{name}”; it may have been deleted.</translation>
    </message>
    <message>
        <source>已有名为“{name}”的轮巡方案，请换一个名称。</source>
        <translation>A tour named “{name}” already exists; choose another name.</translation>
    </message>
    <message>
        <source>请为墙面起一个 1–64 字的名称。</source>
        <translation>Give the wall a name of 1–64 characters.</translation>
    </message>
    <message>
        <source>找不到墙面“{name}”，可能已被删除。</source>
        <translation>No wall named “{name}”; it may have been deleted.</translation>
    </message>
</context>
<context>
    <name>ErrorReporting</name>
    <message>
        <source>数据库 {0} 由更新版本的程序创建，本程序无法安全使用它。请升级本程序后再打开；数据库未作任何修改。</source>
        <translation>The database {0} was written by a newer version of this program and cannot be used safely. Please upgrade the program and open it again; the database was not changed.</translation>
    </message>
    <message>
        <source>无法连接中心数据库服务器 {0}。请检查本机网络和服务器是否开机，或请管理员确认 PostgreSQL 正在运行，然后重新启动本程序；数据库未作任何修改。</source>
        <translation>Cannot reach the centre&apos;s database server {0}. Check this computer&apos;s network and that the server is on, or ask the administrator to check that PostgreSQL is running, then start this program again; the database was not changed.</translation>
    </message>
    <message>
        <source>数据库 {0} 正被另一个程序占用（已锁定）。请关闭其他正在使用它的窗口或程序后重试；数据库未作任何修改。</source>
        <translation>The database {0} is locked by another program. Close the other window or program using it and try again; the database was not changed.</translation>
    </message>
    <message>
        <source>数据库 {0} 或其所在文件夹是只读的，无法写入。请检查文件权限或磁盘空间，或用 --db 指定其他位置；数据库未作任何修改。</source>
        <translation>The database {0} or its folder is read-only. Check the file permissions or disk space, or choose another location with --db; the database was not changed.</translation>
    </message>
    <message>
        <source>文件 {0} 不是本程序的数据库或已损坏。请从备份恢复，或用 --db 指定其他文件；该文件未作任何修改。</source>
        <translation>The file {0} is not a database of this program or is damaged. Restore it from a backup or choose another file with --db; the file was not changed.</translation>
    </message>
    <message>
        <source>无法打开数据库 {0}：{1}</source>
        <translation>Cannot open the database {0}: {1}</translation>
    </message>
    <message>
        <source>程序遇到了一个意外错误，刚才的操作可能没有完成。您可以继续工作；如果问题反复出现，请把日志文件 {0} 发给系统管理员。</source>
        <translation>The program met an unexpected error and the last action may not have completed. You can keep working; if it happens again, send the log file {0} to the system administrator.</translation>
    </message>
    <message>
        <source>无法完成操作</source>
        <translation>The action could not be completed</translation>
    </message>
    <message>
        <source>意外错误</source>
        <translation>Unexpected error</translation>
    </message>
</context>
<context>
    <name>EvidenceActions</name>
    <message>
        <source>截图</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>请先选中一个正在播放的画面再截图。</source>
        <translation>Select a tile that is playing first, then take the snapshot.</translation>
    </message>
    <message>
        <source>截图失败（画面可能尚未出现），请稍后重试。</source>
        <translation>The snapshot failed (the picture may not be there yet); please try again.</translation>
    </message>
    <message>
        <source>主码流</source>
        <translation>main stream</translation>
    </message>
    <message>
        <source>子码流</source>
        <translation>sub stream</translation>
    </message>
    <message>
        <source>截图已保存</source>
        <translation>Snapshot saved</translation>
    </message>
    <message>
        <source>已保存“{0}”的截图（{1} {2}×{3}），已列入取证材料。</source>
        <translation>Snapshot of “{0}” saved ({1} {2}×{3}) and listed as evidence.</translation>
    </message>
</context>
<context>
    <name>EvidencePicker</name>
    <message>
        <source>选择视频证据</source>
        <translation>Choose video evidence</translation>
    </message>
    <message>
        <source>截图</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>录像</source>
        <translation>Clip</translation>
    </message>
    <message>
        <source>您没有未关联事件的截图或录像。</source>
        <translation>You have no snapshots or clips that are not yet attached to an incident.</translation>
    </message>
</context>
<context>
    <name>ExportRun</name>
    <message>
        <source>无法写入文件：{0}。请换一个保存位置再试。</source>
        <translation>Cannot write the file: {0}. Choose another location and try again.</translation>
    </message>
    <message>
        <source>正在导出到 {0} …</source>
        <translation>Exporting to {0} …</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导出事件</source>
        <translation>Export incidents</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>已导出 {0} 件事件到 {1}</source>
        <translation>Exported {0} incidents to {1}</translation>
    </message>
    <message>
        <source>导出完成</source>
        <translation>Export finished</translation>
    </message>
    <message>
        <source>导出未完成</source>
        <translation>Export not completed</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV 文件，UTF-8 (*.csv)</source>
        <translation>CSV file, UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>导出当前队列</source>
        <translation>Export the current queue</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>搜索标题、地点、描述或案件编号（Ctrl+F）</source>
        <translation>Search title, place, description or case number (Ctrl+F)</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>全部风险</source>
        <translation>All risk levels</translation>
    </message>
    <message>
        <source>全部来源</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>全部村社</source>
        <translation>All villages</translation>
    </message>
    <message>
        <source>全部网格</source>
        <translation>All grids</translation>
    </message>
    <message>
        <source>未派遣</source>
        <translation>Not dispatched</translation>
    </message>
    <message>
        <source>按部门队列：选择承办部门</source>
        <translation>By-department queue: choose the department</translation>
    </message>
    <message>
        <source>上报日期起（含）</source>
        <translation>Reported from (inclusive)</translation>
    </message>
    <message>
        <source>上报日期止（含）</source>
        <translation>Reported until (inclusive)</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>恢复为不加筛选的队列</source>
        <translation>Show the queue without filters</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Dept.</translation>
    </message>
    <message>
        <source>上报日期</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Any</translation>
    </message>
    <message>
        <source>至少输入两个字</source>
        <translation>Type at least two characters</translation>
    </message>
    <message>
        <source>起始日期晚于结束日期，请重新选择日期范围。</source>
        <translation>The start date is after the end date; choose the range again.</translation>
    </message>
</context>
<context>
    <name>FreeSlotDialog</name>
    <message>
        <source>查找空闲时段</source>
        <translation>Find a free slot</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>任意专长</source>
        <translation>Any speciality</translation>
    </message>
    <message>
        <source>任意调解室</source>
        <translation>Any room</translation>
    </message>
    <message>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>两周内</source>
        <translation>Within two weeks</translation>
    </message>
    <message>
        <source>不关联案件</source>
        <translation>No case</translation>
    </message>
    <message>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <source>预约所选时段</source>
        <translation>Book the chosen slot</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>时长</source>
        <translation>Length</translation>
    </message>
    <message>
        <source>调解员专长</source>
        <translation>Mediator&apos;s speciality</translation>
    </message>
    <message>
        <source>范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>正在查找…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>找到 {0} 个空闲时段，选一个预约</source>
        <translation>{0} free slots found; choose one to book</translation>
    </message>
    <message>
        <source>这段时间内没有符合条件的空闲时段</source>
        <translation>No free slot matches in this period</translation>
    </message>
    <message>
        <source>请先查找并选择一个时段</source>
        <translation>Find and choose a slot first</translation>
    </message>
</context>
<context>
    <name>GridPicker</name>
    <message>
        <source>（不指定村社）</source>
        <translation>(no village)</translation>
    </message>
    <message>
        <source>（不指定网格）</source>
        <translation>(no grid)</translation>
    </message>
</context>
<context>
    <name>HallDisplay</name>
    <message>
        <source>大厅叫号屏</source>
        <translation>Hall display</translation>
    </message>
    <message>
        <source>群众接待大厅</source>
        <translation>Reception hall</translation>
    </message>
    <message>
        <source>{0} 号窗口
{1}
{2}</source>
        <translation>Window {0}
{1}
{2}</translation>
    </message>
    <message>
        <source>最近叫号</source>
        <translation>Last calls</translation>
    </message>
    <message>
        <source>{0}  {1} 号窗口  {2}</source>
        <translation>{0}  window {1}  {2}</translation>
    </message>
    <message>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>{0} {1}：{2} 人</source>
        <translation>{0} {1}: {2}</translation>
    </message>
    <message>
        <source>请 {0} 号到 {1} 号窗口</source>
        <translation>Number {0}, please go to window {1}</translation>
    </message>
</context>
<context>
    <name>HealthDialog</name>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>无法播放</source>
        <translation>Cannot play</translation>
    </message>
    <message>
        <source>未播放过</source>
        <translation>Never played</translation>
    </message>
    <message>
        <source>摄像机在线状态</source>
        <translation>Camera health</translation>
    </message>
    <message>
        <source>摄像机</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>离线起始</source>
        <translation>Offline since</translation>
    </message>
    <message>
        <source>最近正常播放</source>
        <translation>Last played</translation>
    </message>
</context>
<context>
    <name>IcsExportDialog</name>
    <message>
        <source>导出 iCalendar 日历</source>
        <translation>Export an iCalendar file</translation>
    </message>
    <message>
        <source>调解室 {0}</source>
        <translation>Room {0}</translation>
    </message>
    <message>
        <source>调解员 {0}</source>
        <translation>Mediator {0}</translation>
    </message>
    <message>
        <source>保持更新（订阅文件：安排有变动时自动重写）</source>
        <translation>Keep it updated (a subscription file, rewritten whenever a session changes)</translation>
    </message>
    <message>
        <source>订阅文件包含上月至明年的安排，日历程序订阅这个文件即可随时看到最新安排</source>
        <translation>A subscription file holds the sessions from last month to a year ahead; a calendar program subscribed to it always shows the latest</translation>
    </message>
    <message>
        <source>停止更新所选订阅</source>
        <translation>Stop updating the selected subscription</translation>
    </message>
    <message>
        <source>导出对象</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>到</source>
        <translation>To</translation>
    </message>
    <message>
        <source>现有订阅文件</source>
        <translation>Subscription files</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>iCalendar 文件 (*.ics)</source>
        <translation>iCalendar files (*.ics)</translation>
    </message>
    <message>
        <source>结束日期早于开始日期</source>
        <translation>The end date is before the start date</translation>
    </message>
    <message>
        <source>无法写入 {0}，请换一个文件夹</source>
        <translation>Cannot write {0}; choose another folder</translation>
    </message>
    <message>
        <source>已保存 {0}，安排有变动时会自动更新</source>
        <translation>Saved {0}; it is rewritten whenever a session changes</translation>
    </message>
    <message>
        <source>已保存 {0}</source>
        <translation>Saved {0}</translation>
    </message>
</context>
<context>
    <name>IcsImportDialog</name>
    <message>
        <source>导入律所值班表：{0}</source>
        <translation>Import a law firm&apos;s duty rota: {0}</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>事件</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Clashes</translation>
    </message>
    <message>
        <source>保存无冲突的事件</source>
        <translation>Save the events without clashes</translation>
    </message>
    <message>
        <source>值班的调解室</source>
        <translation>Room for the duty</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>到</source>
        <translation>To</translation>
    </message>
    <message>
        <source>无法读取该文件，请检查文件是否存在。</source>
        <translation>The file cannot be read; check that it exists.</translation>
    </message>
    <message>
        <source>结束日期早于开始日期</source>
        <translation>The end date is before the start date</translation>
    </message>
    <message>
        <source>正在检查冲突…</source>
        <translation>Checking for clashes…</translation>
    </message>
    <message>
        <source>无冲突</source>
        <translation>No clash</translation>
    </message>
    <message>
        <source>共 {0} 项：{1} 项无冲突，{2} 项有冲突（不保存）</source>
        <translation>{0} events: {1} without clashes, {2} with clashes (not saved)</translation>
    </message>
    <message>
        <source>保存无冲突的 {0} 项</source>
        <translation>Save the {0} without clashes</translation>
    </message>
    <message>
        <source>已保存 {0} 项值班安排</source>
        <translation>Saved {0} duty sessions</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>摄像机导入结果</source>
        <translation>Camera import result</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>IncidentAction</name>
    <message>
        <source>立案受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>合并重复</source>
        <translation>Merge duplicate</translation>
    </message>
    <message>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <source>开始处置</source>
        <translation>Start work</translation>
    </message>
    <message>
        <source>处置反馈</source>
        <translation>Report handled</translation>
    </message>
    <message>
        <source>核实通过</source>
        <translation>Verify</translation>
    </message>
    <message>
        <source>核实未通过</source>
        <translation>Verification failed</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>上报县级</source>
        <translation>Escalate to county</translation>
    </message>
    <message>
        <source>县级答复</source>
        <translation>County reply</translation>
    </message>
</context>
<context>
    <name>IncidentDetail</name>
    <message>
        <source>上报</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>调整风险等级</source>
        <translation>Risk level changed</translation>
    </message>
    <message>
        <source>群体性事件预警</source>
        <translation>Group-event warning</translation>
    </message>
    <message>
        <source>调整处置时限</source>
        <translation>Deadline changed</translation>
    </message>
    <message>
        <source>添加附件</source>
        <translation>Add attachment</translation>
    </message>
    <message>
        <source>合并了重复上报</source>
        <translation>Merged in duplicate</translation>
    </message>
    <message>
        <source>合并到</source>
        <translation>Merged into</translation>
    </message>
    <message>
        <source>县级答复</source>
        <translation>County reply</translation>
    </message>
    <message>
        <source>立案受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>合并重复</source>
        <translation>Merge duplicate</translation>
    </message>
    <message>
        <source>派遣</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>开始处置</source>
        <translation>Work started</translation>
    </message>
    <message>
        <source>处置反馈</source>
        <translation>Handled</translation>
    </message>
    <message>
        <source>核实通过</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>核实未通过</source>
        <translation>Verification failed</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>上报县级</source>
        <translation>Escalated to county</translation>
    </message>
    <message>
        <source> → {0}色</source>
        <translation> → {0}</translation>
    </message>
    <message>
        <source>（{0}色）</source>
        <translation> ({0})</translation>
    </message>
    <message>
        <source> 至 {0}</source>
        <translation> until {0}</translation>
    </message>
    <message>
        <source>（转为“{0}”）</source>
        <translation> (now “{0}”)</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>涉及人数</source>
        <translation>People involved</translation>
    </message>
    <message>
        <source>上报人</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>承办部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>处置时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>双击打开附件</source>
        <translation>Double-click to open an attachment</translation>
    </message>
    <message>
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>处置经过</source>
        <translation>Handling</translation>
    </message>
    <message>
        <source>此队列中没有事件</source>
        <translation>No incidents in this queue</translation>
    </message>
    <message>
        <source>未指定</source>
        <translation>Not specified</translation>
    </message>
    <message>
        <source>未派遣</source>
        <translation>Not dispatched</translation>
    </message>
    <message>
        <source>受理后计时</source>
        <translation>Starts when accepted</translation>
    </message>
    <message>
        <source>已暂停（等待县级答复）</source>
        <translation>Paused (waiting for the county)</translation>
    </message>
    <message>
        <source>未开始计时</source>
        <translation>Clock not started</translation>
    </message>
    <message>
        <source>群体性事件预警：{0}</source>
        <translation>Group-event warning: {0}</translation>
    </message>
    <message>
        <source>可能重复：{0} {1}（相似度 {2:.0%}：{3}）</source>
        <translation>Possible duplicate: {0} {1} (similarity {2:.0%}: {3})</translation>
    </message>
    <message>
        <source>{0}
{1} 添加于 {2}，{3:.0f} KB</source>
        <translation>{0}
added by {1} at {2}, {3:.0f} KB</translation>
    </message>
    <message>
        <source>正在从中心数据库取出“{0}”…</source>
        <translation>Fetching “{0}” from the centre database…</translation>
    </message>
</context>
<context>
    <name>IncidentForm</name>
    <message>
        <source>照片和文档 (*.jpg *.jpeg *.png *.gif *.webp *.bmp *.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.mp4 *.ts);;所有文件 (*)</source>
        <translation>Photos and documents (*.jpg *.jpeg *.png *.gif *.webp *.bmp *.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.mp4 *.ts);;All files (*)</translation>
    </message>
    <message>
        <source>新建事件</source>
        <translation>New incident</translation>
    </message>
    <message>
        <source>{0}色</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>请选择来源</source>
        <translation>Choose a channel</translation>
    </message>
    <message>
        <source>请选择类别</source>
        <translation>Choose a category</translation>
    </message>
    <message>
        <source>请选择小类</source>
        <translation>Choose a subcategory</translation>
    </message>
    <message>
        <source>请选择风险等级</source>
        <translation>Choose a risk level</translation>
    </message>
    <message>
        <source>如：金乡村菜市场东门</source>
        <translation>e.g. east gate of the Jinxiang market</translation>
    </message>
    <message>
        <source>一句话说明事件</source>
        <translation>The incident in one sentence</translation>
    </message>
    <message>
        <source>时间、地点、人物、经过</source>
        <translation>When, where, who, what happened</translation>
    </message>
    <message>
        <source>姓名；匿名来电可写“匿名”</source>
        <translation>Name; write “匿名” for an anonymous call</translation>
    </message>
    <message>
        <source>手机或固定电话，可不填</source>
        <translation>Mobile or landline (optional)</translation>
    </message>
    <message>
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <source>视频证据…</source>
        <translation>Video evidence…</translation>
    </message>
    <message>
        <source>从本人在视频墙上的截图和录像中选择</source>
        <translation>Choose from your own snapshots and clips on the video wall</translation>
    </message>
    <message>
        <source>合并到所选事件(&amp;M)</source>
        <translation>&amp;Merge into selected</translation>
    </message>
    <message>
        <source>仍然新建(&amp;N)</source>
        <translation>Create a &amp;new case anyway</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>来源渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>事件类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>风险等级</source>
        <translation>Risk level</translation>
    </message>
    <message>
        <source>所属网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>事发地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>事件标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>事件描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>涉及人数</source>
        <translation>People involved</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>上报人</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>附件（照片、文档、视频取证）</source>
        <translation>Attachments (photos, documents, video evidence)</translation>
    </message>
    <message>
        <source>建议承办：{0}</source>
        <translation>Suggested department: {0}</translation>
    </message>
    <message>
        <source>{0} 视频巡查发现：</source>
        <translation>{0} seen on video patrol: </translation>
    </message>
    <message>
        <source>正在读取取证材料…</source>
        <translation>Reading the evidence…</translation>
    </message>
    <message>
        <source>读取取证材料失败，请稍后重试。</source>
        <translation>Reading the evidence failed; please try again shortly.</translation>
    </message>
    <message>
        <source>添加附件</source>
        <translation>Add attachment</translation>
    </message>
    <message>
        <source>正在读取取证材料，读完后再保存。</source>
        <translation>The evidence is still being read; save once it has arrived.</translation>
    </message>
    <message>
        <source>{0}  {1}（{2}）
相似度 {3:.0%}：{4}</source>
        <translation>{0}  {1} ({2})
similarity {3:.0%}: {4}</translation>
    </message>
    <message>
        <source>发现 {0} 件可能重复的在办事件。可合并到其中一件，或确认不是同一件事后仍然新建。</source>
        <translation>{0} open incident(s) may be the same event. Merge into one of them, or create a new case if it is a different event.</translation>
    </message>
    <message>
        <source>请先处理可能重复的事件。</source>
        <translation>Please deal with the possible duplicates first.</translation>
    </message>
    <message>
        <source>请先在列表中选择要合并到的事件。</source>
        <translation>Please choose the incident to merge into from the list.</translation>
    </message>
    <message>
        <source>新上报与 {0} 为同一事件</source>
        <translation>New report is the same event as {0}</translation>
    </message>
    <message>
        <source>已新建 {0}，但未能合并：{1}</source>
        <translation>Created {0}, but could not merge it: {1}</translation>
    </message>
    <message>
        <source>已登记 {0} 并合并到 {1}</source>
        <translation>Registered {0} and merged it into {1}</translation>
    </message>
    <message>
        <source>已新建事件 {0}</source>
        <translation>Created incident {0}</translation>
    </message>
</context>
<context>
    <name>IncidentQueue</name>
    <message>
        <source>待分流</source>
        <translation>To triage</translation>
    </message>
    <message>
        <source>我的</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>即将超期/已超期</source>
        <translation>Due soon / overdue</translation>
    </message>
    <message>
        <source>待核实</source>
        <translation>To verify</translation>
    </message>
    <message>
        <source>已上报县级</source>
        <translation>Escalated to county</translation>
    </message>
    <message>
        <source>全部在办</source>
        <translation>All open</translation>
    </message>
    <message>
        <source>全部事件</source>
        <translation>All incidents</translation>
    </message>
    <message>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
</context>
<context>
    <name>IncidentState</name>
    <message>
        <source>待分流</source>
        <translation>Awaiting triage</translation>
    </message>
    <message>
        <source>已立案</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已合并</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>已派遣</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>处置中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>待核实</source>
        <translation>Awaiting verification</translation>
    </message>
    <message>
        <source>已核实</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>已上报县级</source>
        <translation>Escalated to county</translation>
    </message>
</context>
<context>
    <name>IncidentsPage</name>
    <message>
        <source>设为{0}色</source>
        <translation>Set to {0}</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>把当前筛选的队列导出为 Excel 或 CSV 文件</source>
        <translation>Export the queue as filtered now to an Excel or CSV file</translation>
    </message>
    <message>
        <source>新建事件</source>
        <translation>New incident</translation>
    </message>
    <message>
        <source>新建事件（Ctrl+N）</source>
        <translation>New incident (Ctrl+N)</translation>
    </message>
    <message>
        <source>请选择派遣部门</source>
        <translation>Choose a department</translation>
    </message>
    <message>
        <source>说明/理由（驳回、核实未通过、上报县级、处置反馈时必填）</source>
        <translation>Note/reason (required to reject, fail verification, escalate or report handled)</translation>
    </message>
    <message>
        <source>快捷键：A 受理  X 不予受理  D 派遣  S 开始处置  H 处置反馈  V 核实通过  F 核实未通过  C 结案  E 上报县级  1/2/3 红/黄/绿  J/K 下一条/上一条</source>
        <translation>Keys: A accept  X reject  D dispatch  S start  H handled  V verified  F verification failed  C close  E escalate  1/2/3 red/yellow/green  J/K next/previous</translation>
    </message>
    <message>
        <source>派遣到</source>
        <translation>Dispatch to</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>前 {0} 件，正在计数…</source>
        <translation>First {0}, counting…</translation>
    </message>
    <message>
        <source>共 {0} 件</source>
        <translation>Cases: {0}</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>LinkState</name>
    <message>
        <source>未配置</source>
        <translation>not configured</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>同步中</source>
        <translation>syncing</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>online</translation>
    </message>
    <message>
        <source>需处理</source>
        <translation>needs attention</translation>
    </message>
</context>
<context>
    <name>LinkStateLabel</name>
    <message>
        <source>县级链路：未配置</source>
        <translation>County link: not configured</translation>
    </message>
    <message>
        <source>在 设置 中填写县级服务器地址和同步凭据后开始同步</source>
        <translation>Enter the county server address and the sync credential in Settings to start syncing</translation>
    </message>
    <message>
        <source>县级链路：未连接</source>
        <translation>County link: not connected</translation>
    </message>
    <message>
        <source>尚未与县级服务器建立连接</source>
        <translation>Not yet connected to the county server</translation>
    </message>
    <message>
        <source>县级链路：{0}</source>
        <translation>County link: {0}</translation>
    </message>
    <message>
        <source>（待传 {0}）</source>
        <translation> ({0} waiting)</translation>
    </message>
    <message>
        <source>待上传变更：{0} 条</source>
        <translation>Changes waiting to upload: {0}</translation>
    </message>
    <message>
        <source>上次成功：{0}</source>
        <translation>Last success: {0}</translation>
    </message>
    <message>
        <source>尚未成功同步</source>
        <translation>Not synced successfully yet</translation>
    </message>
    <message>
        <source>与县级同步的工作站：{0}</source>
        <translation>Workstation syncing with the county: {0}</translation>
    </message>
    <message>
        <source>点击打开同步面板</source>
        <translation>Click to open the sync panel</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>演示数据库：账号 {0}（值班员）、{1}（中心主任）等，密码 {2}</source>
        <translation>Demo database: accounts {0} (duty officer), {1} (centre head) and others, password {2}</translation>
    </message>
    <message>
        <source>该账号已在 {0} 登录（{1} 起）。可以继续在本机使用，对方工作站会看到本次登录。</source>
        <translation>This account is already signed in at {0} (since {1}). You may go on here; that workstation will see this sign-in.</translation>
    </message>
    <message>
        <source>继续</source>
        <translation>Continue</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>首次启动：正在创建数据库并生成演示数据，请稍候…</source>
        <translation>First start: creating the database and the demo data, please wait…</translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>无法生成演示数据</source>
        <translation>Cannot create demo data</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>综治中心</source>
        <translation> Governance Centre</translation>
    </message>
    <message>
        <source>社会治理综合指挥中心</source>
        <translation>Social governance command centre</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>查看和修改中心设置</source>
        <translation>View and change the centre&apos;s settings</translation>
    </message>
    <message>
        <source>审计日志…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>查看谁在何时做了什么</source>
        <translation>See who did what and when</translation>
    </message>
    <message>
        <source>县级同步…</source>
        <translation>County sync…</translation>
    </message>
    <message>
        <source>查看与县级中心的同步状态，立即同步</source>
        <translation>See the sync state with the county centre, sync now</translation>
    </message>
    <message>
        <source>注销</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>退出当前账号，回到登录</source>
        <translation>Sign out and return to the sign-in dialog</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>关闭程序</source>
        <translation>Close the program</translation>
    </message>
    <message>
        <source>工作区(&amp;W)</source>
        <translation>&amp;Workspaces</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>列出全部快捷键，按工作区分组</source>
        <translation>List every keyboard shortcut, by workspace</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>程序与数据库信息</source>
        <translation>Program and database information</translation>
    </message>
    <message>
        <source>当前用户：{0}（{1}）</source>
        <translation>Signed in: {0} ({1})</translation>
    </message>
    <message>
        <source>本账号同时在 {0} 登录</source>
        <translation>This account is also signed in at {0}</translation>
    </message>
    <message>
        <source>{0}：{1} 起</source>
        <translation>{0}: since {1}</translation>
    </message>
    <message>
        <source>“{0}”工作区无法打开。详情已写入日志，请联系系统管理员。</source>
        <translation>The workspace “{0}” could not be opened. The details are in the log; please contact the system administrator.</translation>
    </message>
    <message>
        <source>中心数据库地址已保存，重新启动程序后生效。</source>
        <translation>The centre database URL is saved; it takes effect when the program is restarted.</translation>
    </message>
    <message>
        <source>乡镇社会治理综合指挥中心客户端
数据库：{0}
乡镇代码：{1}</source>
        <translation>Township social governance centre client
Database: {0}
Township code: {1}</translation>
    </message>
</context>
<context>
    <name>MediationAdmin</name>
    <message>
        <source>调解室…</source>
        <translation>Rooms…</translation>
    </message>
    <message>
        <source>调解员…</source>
        <translation>Mediators…</translation>
    </message>
    <message>
        <source>值班轮值…</source>
        <translation>Duty rota…</translation>
    </message>
    <message>
        <source>预约规则…</source>
        <translation>Booking rules…</translation>
    </message>
    <message>
        <source>工作日…</source>
        <translation>Working days…</translation>
    </message>
    <message>
        <source>管理</source>
        <translation>Manage</translation>
    </message>
    <message>
        <source>调解室、调解员、值班轮值和工作日</source>
        <translation>Rooms, mediators, duty rota and working days</translation>
    </message>
    <message>
        <source>需要确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <source>{0}

仍然预约吗？</source>
        <translation>{0}

Book anyway?</translation>
    </message>
</context>
<context>
    <name>MediationCaseState</name>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>调解中</source>
        <translation>In mediation</translation>
    </message>
    <message>
        <source>调解成功</source>
        <translation>Agreement reached</translation>
    </message>
    <message>
        <source>调解不成</source>
        <translation>No agreement</translation>
    </message>
    <message>
        <source>转诉讼</source>
        <translation>Referred to court</translation>
    </message>
    <message>
        <source>申请司法确认</source>
        <translation>Judicial confirmation applied for</translation>
    </message>
    <message>
        <source>撤回</source>
        <translation>Withdrawn</translation>
    </message>
</context>
<context>
    <name>MediationCases</name>
    <message>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>案件名称</source>
        <translation>Case title</translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>受理时间</source>
        <translation>Accepted</translation>
    </message>
</context>
<context>
    <name>MediationOutcome</name>
    <message>
        <source>调解成功</source>
        <translation>Record agreement</translation>
    </message>
    <message>
        <source>调解不成</source>
        <translation>Record no agreement</translation>
    </message>
    <message>
        <source>转诉讼</source>
        <translation>Refer to court</translation>
    </message>
    <message>
        <source>申请司法确认</source>
        <translation>Apply for judicial confirmation</translation>
    </message>
    <message>
        <source>撤回</source>
        <translation>Withdraw</translation>
    </message>
</context>
<context>
    <name>MediationPage</name>
    <message>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>一天，调解室为列</source>
        <translation>One day, rooms as columns</translation>
    </message>
    <message>
        <source>周</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>一周，每天按调解室分列</source>
        <translation>One week, each day split by room</translation>
    </message>
    <message>
        <source>按调解员</source>
        <translation>By mediator</translation>
    </message>
    <message>
        <source>一天，调解员为列</source>
        <translation>One day, mediators as columns</translation>
    </message>
    <message>
        <source>‹</source>
        <translation>‹</translation>
    </message>
    <message>
        <source>前一天（←）</source>
        <translation>Previous day (←)</translation>
    </message>
    <message>
        <source>›</source>
        <translation>›</translation>
    </message>
    <message>
        <source>后一天（→）</source>
        <translation>Next day (→)</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>回到今天（T）</source>
        <translation>Back to today (T)</translation>
    </message>
    <message>
        <source>打印与共享</source>
        <translation>Print and share</translation>
    </message>
    <message>
        <source>打印日程单、导出或订阅 iCalendar 日历、导入律所值班表</source>
        <translation>Print day sheets, export or subscribe to iCalendar files, import a law firm&apos;s duty rota</translation>
    </message>
    <message>
        <source>打印日程单…</source>
        <translation>Print a day sheet…</translation>
    </message>
    <message>
        <source>打印或导出 PDF：调解室门口日程单、全中心日程（Ctrl+P）</source>
        <translation>Print or save as PDF: a room&apos;s sheet for its door, the centre&apos;s day programme (Ctrl+P)</translation>
    </message>
    <message>
        <source>导出 iCalendar 日历…</source>
        <translation>Export an iCalendar file…</translation>
    </message>
    <message>
        <source>按调解室或调解员导出 .ics 文件，或保存为自动更新的订阅文件（Ctrl+E）</source>
        <translation>Export a room&apos;s or a mediator&apos;s sessions as an .ics file, or keep it as a subscription file that updates (Ctrl+E)</translation>
    </message>
    <message>
        <source>导入律所值班表…</source>
        <translation>Import a law firm&apos;s duty rota…</translation>
    </message>
    <message>
        <source>导入律师事务所的 .ics 值班表，保存前逐项列出冲突（Ctrl+I）</source>
        <translation>Import a law firm&apos;s .ics duty rota; every clash is listed before anything is saved (Ctrl+I)</translation>
    </message>
    <message>
        <source>查找空闲时段…</source>
        <translation>Find a free slot…</translation>
    </message>
    <message>
        <source>按时长、调解员专长、调解室和范围查找最近的空闲时段并预约（F）</source>
        <translation>Find the next free slots by length, mediator&apos;s speciality, room and period, and book one (F)</translation>
    </message>
    <message>
        <source>换了日期或调解员：只能调整这一次，其余各次按原日期不变。</source>
        <translation>The date or the mediator changed: only this one can move; the others stay on their dates.</translation>
    </message>
    <message>
        <source>“{0}”是值班轮值中的一次。调整到 {1} {2}–{3} {4}，适用于：</source>
        <translation>“{0}” is one occurrence of a duty rota. Move it to {1} {2}–{3} {4} for:</translation>
    </message>
    <message>
        <source>未调整</source>
        <translation>Not moved</translation>
    </message>
    <message>
        <source>已调整 {0} 次</source>
        <translation>Changed {0} occurrence(s)</translation>
    </message>
    <message>
        <source>已调整：{0} {1}–{2}</source>
        <translation>Moved: {0} {1}–{2}</translation>
    </message>
    <message>
        <source>调解安排</source>
        <translation>Session</translation>
    </message>
    <message>
        <source>调解员：{0}</source>
        <translation>Mediators: {0}</translation>
    </message>
    <message>
        <source>当事人：{0}</source>
        <translation>Parties: {0}</translation>
    </message>
    <message>
        <source>状态：{0}</source>
        <translation>Status: {0}</translation>
    </message>
    <message>
        <source>已登记为“{0}”</source>
        <translation>Marked “{0}”</translation>
    </message>
    <message>
        <source>新建调解安排</source>
        <translation>New session</translation>
    </message>
    <message>
        <source>两周内没有空闲的一小时</source>
        <translation>No free hour in the next two weeks</translation>
    </message>
    <message>
        <source>最近的空闲时段：{0} {1}–{2} {3}，调解员 {4}</source>
        <translation>Nearest free slot: {0} {1}–{2} {3}, mediator {4}</translation>
    </message>
    <message>
        <source>已预约</source>
        <translation>Booked</translation>
    </message>
    <message>
        <source>导入律所值班表</source>
        <translation>Import a law firm&apos;s duty rota</translation>
    </message>
    <message>
        <source>iCalendar 文件 (*.ics)</source>
        <translation>iCalendar files (*.ics)</translation>
    </message>
    <message>
        <source>日历</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <source>调解案件</source>
        <translation>Mediation cases</translation>
    </message>
</context>
<context>
    <name>MediatorMenu</name>
    <message>
        <source>调解菜单：当事人自选调解员</source>
        <translation>Mediator menu: the party picks the mediator</translation>
    </message>
    <message>
        <source>案件：{0}</source>
        <translation>Case: {0}</translation>
    </message>
    <message>
        <source>专长与案件类别相符的调解员排在前面</source>
        <translation>Mediators whose speciality matches the case&apos;s category come first</translation>
    </message>
    <message>
        <source>不限专长</source>
        <translation>Any speciality</translation>
    </message>
    <message>
        <source>调解时长</source>
        <translation>Length of the session</translation>
    </message>
    <message>
        <source>{0} 分钟</source>
        <translation>{0} minutes</translation>
    </message>
    <message>
        <source>正在查找空闲时段…</source>
        <translation>Looking for free times…</translation>
    </message>
    <message>
        <source>近一年尚无案件</source>
        <translation>No cases in the last year</translation>
    </message>
    <message>
        <source>近一年化解率 {0:.0%}（{1}/{2} 件）</source>
        <translation>Resolved in the last year: {0:.0%} ({1} of {2} cases)</translation>
    </message>
    <message>
        <source>专长：{0}</source>
        <translation>Specialities: {0}</translation>
    </message>
    <message>
        <source>两周内没有空闲时段</source>
        <translation>No free time in the next two weeks</translation>
    </message>
    <message>
        <source>选择 {0}，预约这个时段</source>
        <translation>Choose {0} and book this time</translation>
    </message>
</context>
<context>
    <name>MediatorsDialog</name>
    <message>
        <source>调解员管理</source>
        <translation>Mediators</translation>
    </message>
    <message>
        <source>新建调解员</source>
        <translation>New mediator</translation>
    </message>
    <message>
        <source>用逗号或顿号分开，例如：劳资纠纷、合同纠纷</source>
        <translation>Separated by commas, e.g. 劳资纠纷, 合同纠纷</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>擅长领域</source>
        <translation>Specialities</translation>
    </message>
    <message>
        <source>所在单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>常驻调解室</source>
        <translation>Home room</translation>
    </message>
    <message>
        <source>可约时间（每天可填几段，如 09:00-12:00, 14:00-17:00）</source>
        <translation>Hours available (several spans a day, e.g. 09:00-12:00, 14:00-17:00)</translation>
    </message>
    <message>
        <source>调解室开放时都可约</source>
        <translation>Available whenever the room is open</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Take out of use</translation>
    </message>
    <message>
        <source>停用并改派</source>
        <translation>Take out of use and hand over</translation>
    </message>
    <message>
        <source>把未开始的调解全部改由所选调解员调解，然后停用</source>
        <translation>Hand every session ahead to the chosen mediator, then take this one out of use</translation>
    </message>
    <message>
        <source>改派给</source>
        <translation>Hand over to</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>{0}（停用）</source>
        <translation>{0} (out of use)</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Bring back into use</translation>
    </message>
    <message>
        <source>已保存调解员 {0}</source>
        <translation>Mediator {0} saved</translation>
    </message>
    <message>
        <source>。这些调解已不在新的时间内，请改期：{0}</source>
        <translation>. These sessions are outside the new hours; move them: {0}</translation>
    </message>
    <message>
        <source>已启用 {0}</source>
        <translation>{0} back in use</translation>
    </message>
    <message>
        <source>已停用 {0}</source>
        <translation>{0} taken out of use</translation>
    </message>
    <message>
        <source>已停用 {0}，{1} 场调解改由 {2} 调解</source>
        <translation>{0} taken out of use; {1} sessions handed over to {2}</translation>
    </message>
</context>
<context>
    <name>Petitions</name>
    <message>
        <source>剩 {0} 天</source>
        <translation>{0} days left</translation>
    </message>
    <message>
        <source>今天到期</source>
        <translation>due today</translation>
    </message>
    <message>
        <source>超期 {0} 天</source>
        <translation>{0} days overdue</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>信访人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>收到日期</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>当前期限</source>
        <translation>Running limit</translation>
    </message>
    <message>
        <source>届满日</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>剩余</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>期限</source>
        <translation>Limit</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Article</translation>
    </message>
    <message>
        <source>天数</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>起算日</source>
        <translation>From</translation>
    </message>
    <message>
        <source>完成日</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>按期</source>
        <translation>on time</translation>
    </message>
    <message>
        <source>逾期 {0} 天</source>
        <translation>{0} days late</translation>
    </message>
    <message>
        <source>信访人可提出至届满日</source>
        <translation>the petitioner may ask until the due day</translation>
    </message>
    <message>
        <source>{0}（节假日顺延）</source>
        <translation>{0} (moved past a holiday)</translation>
    </message>
    <message>
        <source>第 {0} 天 {1} 是休息日或法定节假日，期限顺延到其后的第一个工作日（《民法典》第二百零三条）</source>
        <translation>Day {0}, {1}, is a rest day or public holiday; the limit ends on the first working day after it (Civil Code art. 203)</translation>
    </message>
</context>
<context>
    <name>PetitionsPage</name>
    <message>
        <source>登记信访事项</source>
        <translation>Register a petition</translation>
    </message>
    <message>
        <source>走访：选择来访登记，信访人信息从登记中带出</source>
        <translation>Visit: choose the visit registration; the petitioner&apos;s details come from it</translation>
    </message>
    <message>
        <source>来信的收到日期；走访和电话为今天</source>
        <translation>The date a letter was received; today for visits and calls</translation>
    </message>
    <message>
        <source>信访事项、请求和理由</source>
        <translation>The matter, the request and its reasons</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>登记信访事项，开始计算受理期限（Ctrl+Enter）</source>
        <translation>Register the petition and start the acceptance limit (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>来访登记</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>信访人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>收到日期</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>信访事项</source>
        <translation>Petitions</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>{0} 天内到期</source>
        <translation>Due within {0} days</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>按今天的日期重新计算剩余天数（F5）</source>
        <translation>Recount the days left from today&apos;s date (F5)</translation>
    </message>
    <message>
        <source>办理</source>
        <translation>Handling</translation>
    </message>
    <message>
        <source>书面内容：受理或不予受理告知书、延期理由、处理意见、复查或复核意见</source>
        <translation>Written text: acceptance or refusal notice, reason for an extension, reply, review or re-examination opinion</translation>
    </message>
    <message>
        <source>办理机关、单位（受理时填写）</source>
        <translation>Handling body (when accepting)</translation>
    </message>
    <message>
        <source>延期时填写：批准延期的负责人（姓名、职务）</source>
        <translation>For an extension: the head who approved it (name, post)</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>延期天数（至多 {0} 天）或听证天数</source>
        <translation>Days of the extension (at most {0}) or of the hearing</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>受理并书面告知，开始 60 日办理期限</source>
        <translation>Accept with a written notice; the 60-day handling limit starts</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Do not accept</translation>
    </message>
    <message>
        <source>不予受理并书面告知理由</source>
        <translation>Refuse with a written notice of the reasons</translation>
    </message>
    <message>
        <source>延期</source>
        <translation>Extend</translation>
    </message>
    <message>
        <source>经负责人批准，延长办理期限一次，须告知信访人理由</source>
        <translation>Extend the handling period once, with the head&apos;s approval; the petitioner is told the reason</translation>
    </message>
    <message>
        <source>延期 {0} 天（{1} 批准），理由</source>
        <translation>Extended by {0} days (approved by {1}), reason</translation>
    </message>
    <message>
        <source>书面答复</source>
        <translation>Written reply</translation>
    </message>
    <message>
        <source>出具处理意见书</source>
        <translation>Issue the written reply</translation>
    </message>
    <message>
        <source>请求复查</source>
        <translation>Review requested</translation>
    </message>
    <message>
        <source>信访人请求复查</source>
        <translation>The petitioner asks for a review</translation>
    </message>
    <message>
        <source>复查意见</source>
        <translation>Review opinion</translation>
    </message>
    <message>
        <source>出具复查意见</source>
        <translation>Issue the review opinion</translation>
    </message>
    <message>
        <source>请求复核</source>
        <translation>Re-examination requested</translation>
    </message>
    <message>
        <source>信访人请求复核</source>
        <translation>The petitioner asks for a re-examination</translation>
    </message>
    <message>
        <source>登记听证</source>
        <translation>Hearing</translation>
    </message>
    <message>
        <source>听证所用天数不计入复核期限</source>
        <translation>Days of a hearing are not counted in the re-examination limit</translation>
    </message>
    <message>
        <source>复核意见</source>
        <translation>Re-examination opinion</translation>
    </message>
    <message>
        <source>出具复核意见</source>
        <translation>Issue the re-examination opinion</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>办结此信访事项</source>
        <translation>Close this petition</translation>
    </message>
    <message>
        <source>书面内容</source>
        <translation>Written text</translation>
    </message>
    <message>
        <source>办理机关</source>
        <translation>Handling body</translation>
    </message>
    <message>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <source>天数</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>期限（《信访工作条例》）</source>
        <translation>Limits (Regulations on Petition Work)</translation>
    </message>
    <message>
        <source>（不关联来访，手工填写）</source>
        <translation>(no visit, typed by hand)</translation>
    </message>
    <message>
        <source>已登记 {0}，请在 {1} 前作出是否受理的决定</source>
        <translation>Registered {0}; decide on acceptance by {1}</translation>
    </message>
    <message>
        <source>今天 {0}</source>
        <translation>Today {0}</translation>
    </message>
    <message>
        <source>{0} 件</source>
        <translation>{0} petitions</translation>
    </message>
    <message>
        <source>在左侧列表中选择一件信访事项</source>
        <translation>Choose a petition in the list on the left</translation>
    </message>
    <message>
        <source>{0}  {1}  {2}
{3}，{4}</source>
        <translation>{0}  {1}  {2}
{3}, {4}</translation>
    </message>
    <message>
        <source>无身份证号</source>
        <translation>no ID number</translation>
    </message>
    <message>
        <source>事项：{0}</source>
        <translation>Matter: {0}</translation>
    </message>
    <message>
        <source>受理决定告知</source>
        <translation>Acceptance decision notice</translation>
    </message>
    <message>
        <source>处理意见</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>听证天数</source>
        <translation>Hearing days</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>重复信访：与 {0}（{1}）为同一事项，该事项已出具复核意见；以同一事实和理由再次提出的，不再受理（第三十六条）</source>
        <translation>Repeat petition: the same matter as {0} ({1}), which already has its re-examination opinion; raised again on the same facts and reasons it is not accepted (Art. 36)</translation>
    </message>
    <message>
        <source>重复信访：与 {0}（{1}）为同一事项</source>
        <translation>Repeat petition: the same matter as {0} ({1})</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <source>此工作区正在建设中。</source>
        <translation>This workspace is being built.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>风险</source>
        <translation>Risk</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>承办部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>剩余时限</source>
        <translation>Time left</translation>
    </message>
</context>
<context>
    <name>Reception</name>
    <message>
        <source>来访登记</source>
        <translation>Visitors</translation>
    </message>
    <message>
        <source>信访事项</source>
        <translation>Petitions</translation>
    </message>
</context>
<context>
    <name>ReceptionPage</name>
    <message>
        <source>来访登记</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <source>18 位，可留空（匿名咨询）</source>
        <translation>18 characters; may be empty (anonymous consultation)</translation>
    </message>
    <message>
        <source>无身份证号时：护照号或原因</source>
        <translation>Without a resident ID: passport number or reason</translation>
    </message>
    <message>
        <source>大厅窗口（按服务排队）</source>
        <translation>Hall window (queue by service)</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Mediation room</translation>
    </message>
    <message>
        <source>部门/站所</source>
        <translation>Department/station</translation>
    </message>
    <message>
        <source>来访事由</source>
        <translation>Purpose of the visit</translation>
    </message>
    <message>
        <source>登记并取号</source>
        <translation>Register and issue ticket</translation>
    </message>
    <message>
        <source>保存登记并生成排队号（Ctrl+Enter）</source>
        <translation>Save the visit and issue a queue ticket (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>其他证件</source>
        <translation>Other document</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>事由类别</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>大厅服务</source>
        <translation>Hall service</translation>
    </message>
    <message>
        <source>优先</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>来访人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>分流到</source>
        <translation>Route to</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>来访记录</source>
        <translation>Visit register</translation>
    </message>
    <message>
        <source>按姓名、拼音首字母（如 wxy）或身份证号查找</source>
        <translation>Find by name, pinyin initials (e.g. wxy) or ID number</translation>
    </message>
    <message>
        <source>双击或回车：查看此人的来访、信访和事件</source>
        <translation>Double-click or Enter: this person&apos;s visits, petitions and incidents</translation>
    </message>
    <message>
        <source>打开大厅叫号屏</source>
        <translation>Open hall display</translation>
    </message>
    <message>
        <source>在第二块屏幕上全屏显示叫号并语音播报</source>
        <translation>Show calls full-screen on the second screen and announce them by voice</translation>
    </message>
    <message>
        <source>{0} 人以上为集体访，登记后请通知值班员</source>
        <translation>{0} or more people is a collective visit: tell the duty officer after registering</translation>
    </message>
    <message>
        <source>此前来访 {0} 次，信访 {1} 件（未办结 {2} 件）</source>
        <translation>{0} earlier visits, {1} petitions ({2} open)</translation>
    </message>
    <message>
        <source>注意：该身份证号曾以“{0}”登记，请核对身份</source>
        <translation>Note: this ID number was registered under “{0}”; check the identity</translation>
    </message>
    <message>
        <source>集体访：已向值班员上报红色事件</source>
        <translation>Collective visit: a red incident was reported to the duty officer</translation>
    </message>
    <message>
        <source>已登记：{0}，请到调解室“{1}”，排队号 {2}</source>
        <translation>Registered: {0}; please go to the mediation room “{1}”, queue number {2}</translation>
    </message>
    <message>
        <source>已登记：{0}，请到“{1}”办理，排队号 {2}</source>
        <translation>Registered: {0}; please go to “{1}”, queue number {2}</translation>
    </message>
    <message>
        <source>已登记：{0}，{1} 号（{2}），前面没有人，请留意叫号</source>
        <translation>Registered: {0}, ticket {1} ({2}); no one ahead, please watch for the number to be called</translation>
    </message>
    <message>
        <source>已登记：{0}，{1} 号（{2}），前面还有 {3} 人，请在大厅等候叫号</source>
        <translation>Registered: {0}, ticket {1} ({2}), {3} ahead; please wait in the hall to be called</translation>
    </message>
    <message>
        <source>正在打印小票 {0}…</source>
        <translation>Printing ticket {0}…</translation>
    </message>
    <message>
        <source>小票打印出错，号码 {0} 已显示在屏幕上，请告诉来访人。</source>
        <translation>Printing the ticket failed. Number {0} is shown on screen; please tell the visitor.</translation>
    </message>
    <message>
        <source>小票已打印</source>
        <translation>Ticket printed</translation>
    </message>
    <message>
        <source>显示最近 {0} 条</source>
        <translation>Showing the latest {0}</translation>
    </message>
</context>
<context>
    <name>RedAlert</name>
    <message>
        <source>新红色事件：{0} {1}</source>
        <translation>New red incident: {0} {1}</translation>
    </message>
    <message>
        <source>（群体性事件预警：{0}）</source>
        <translation> (group-event warning: {0})</translation>
    </message>
    <message>
        <source> 等 {0} 件</source>
        <translation> and {0} in all</translation>
    </message>
    <message>
        <source>综治中心：新红色事件提醒</source>
        <translation>Governance centre: new red incident alerts</translation>
    </message>
    <message>
        <source>新红色事件</source>
        <translation>New red incident</translation>
    </message>
</context>
<context>
    <name>RiskColour</name>
    <message>
        <source>红</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>黄</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <source>绿</source>
        <translation>Green</translation>
    </message>
</context>
<context>
    <name>RoomsDialog</name>
    <message>
        <source>调解室管理</source>
        <translation>Rooms</translation>
    </message>
    <message>
        <source>新建调解室</source>
        <translation>New room</translation>
    </message>
    <message>
        <source>例如：录音录像、投影、圆桌</source>
        <translation>e.g. audio and video recording, projector, round table</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>容纳人数</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Equipment</translation>
    </message>
    <message>
        <source>开始前预留（分钟）</source>
        <translation>Buffer before (minutes)</translation>
    </message>
    <message>
        <source>结束后预留（分钟）</source>
        <translation>Buffer after (minutes)</translation>
    </message>
    <message>
        <source>开放时间（法定节假日不开放，调休上班日按周一）</source>
        <translation>Opening hours (closed on official holidays; make-up working days use Monday&apos;s hours)</translation>
    </message>
    <message>
        <source>使用中心默认时间（周一至周五 08:30–17:30）</source>
        <translation>Use the centre&apos;s default hours (Monday to Friday 08:30–17:30)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Take out of use</translation>
    </message>
    <message>
        <source>暂停使用</source>
        <translation>Closures</translation>
    </message>
    <message>
        <source>原因，例如：装修</source>
        <translation>Reason, e.g. renovation</translation>
    </message>
    <message>
        <source>整个中心</source>
        <translation>Whole centre</translation>
    </message>
    <message>
        <source>登记暂停</source>
        <translation>Add closure</translation>
    </message>
    <message>
        <source>撤销所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>{0}（停用）</source>
        <translation>{0} (out of use)</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Bring back into use</translation>
    </message>
    <message>
        <source>已保存调解室 {0}</source>
        <translation>Room {0} saved</translation>
    </message>
    <message>
        <source>。这些调解已不在新的时间内，请改期：{0}</source>
        <translation>. These sessions are outside the new hours; move them: {0}</translation>
    </message>
    <message>
        <source>已启用 {0}</source>
        <translation>{0} back in use</translation>
    </message>
    <message>
        <source>已停用 {0}</source>
        <translation>{0} taken out of use</translation>
    </message>
    <message>
        <source>已登记暂停使用 {0} – {1}</source>
        <translation>Closed {0} – {1}</translation>
    </message>
    <message>
        <source>请先在列表中选择一条暂停记录</source>
        <translation>Choose a closure in the list first</translation>
    </message>
    <message>
        <source>已撤销暂停使用</source>
        <translation>Closure removed</translation>
    </message>
</context>
<context>
    <name>RotaDialog</name>
    <message>
        <source>值班轮值</source>
        <translation>Duty rota</translation>
    </message>
    <message>
        <source>新建轮值</source>
        <translation>New rota</translation>
    </message>
    <message>
        <source>可空，默认“调解员 值班”</source>
        <translation>Optional; default “&lt;mediator&gt; 值班”</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>次数</source>
        <translation>Times</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediators</translation>
    </message>
    <message>
        <source>第一天</source>
        <translation>First day</translation>
    </message>
    <message>
        <source>开始时间</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>时长</source>
        <translation>Length</translation>
    </message>
    <message>
        <source>每周</source>
        <translation>Every week on</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>Ends</translation>
    </message>
    <message>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>逐日检查冲突，不保存</source>
        <translation>Check each date for clashes without saving</translation>
    </message>
    <message>
        <source>预约</source>
        <translation>Book</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>检查结果</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>已排轮值</source>
        <translation>Booked rotas</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>仅此一次</source>
        <translation>This date only</translation>
    </message>
    <message>
        <source>此次及以后</source>
        <translation>This and following</translation>
    </message>
    <message>
        <source>整个轮值</source>
        <translation>The whole rota</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>删除原因，例如：律师出庭</source>
        <translation>Reason for removing, e.g. the lawyer is in court</translation>
    </message>
    <message>
        <source>删除所选日期</source>
        <translation>Remove selected date</translation>
    </message>
    <message>
        <source>添加日期</source>
        <translation>Add date</translation>
    </message>
    <message>
        <source>正在逐日检查…</source>
        <translation>Checking each date…</translation>
    </message>
    <message>
        <source>提醒：{0}</source>
        <translation>Warning: {0}</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>可预约</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>（{0} 年节假日未录入，按星期计算）</source>
        <translation> ({0} holidays not entered; counted by weekday)</translation>
    </message>
    <message>
        <source>跳过 {0} 次冲突，预约其余 {1} 次（其中 {2} 次有提醒）</source>
        <translation>Skip {0} clashing dates, book the other {1} ({2} of them with warnings)</translation>
    </message>
    <message>
        <source>{0} 次中有 {1} 次冲突、{2} 次提醒，见上表；同意后才预约其余日期</source>
        <translation>Of {0} dates, {1} clash and {2} have warnings (see the table); the rest is booked only once you agree</translation>
    </message>
    <message>
        <source>{0} 次都可预约</source>
        <translation>All {0} dates can be booked</translation>
    </message>
    <message>
        <source>{0} 年的法定节假日和调休安排还没有录入，暂按星期计算，请中心主任在“工作日”中录入</source>
        <translation>The official holidays and make-up working days of {0} are not entered yet; days count by their weekday until the centre head enters them under “Working days”</translation>
    </message>
    <message>
        <source>。</source>
        <translation>. </translation>
    </message>
    <message>
        <source>请先预览，看过每一次的检查结果再预约</source>
        <translation>Preview first and look at each date&apos;s check before booking</translation>
    </message>
    <message>
        <source>有冲突或提醒：请勾选“{0}”后再预约</source>
        <translation>There are clashes or warnings: tick “{0}” before booking</translation>
    </message>
    <message>
        <source>已预约 {0} 次，跳过 {1} 次</source>
        <translation>{0} dates booked, {1} skipped</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>至 {0}</source>
        <translation>until {0}</translation>
    </message>
    <message>
        <source>共 {0} 次</source>
        <translation>{0} times</translation>
    </message>
    <message>
        <source>{0} · {1} · 每{2} {3}–{4} · {5} · 待举行 {6} 次</source>
        <translation>{0} · {1} · every {2} {3}–{4} · {5} · {6} ahead</translation>
    </message>
    <message>
        <source>{0}（单独修改过）</source>
        <translation>{0} (edited on its own)</translation>
    </message>
    <message>
        <source>请先在表中选择一次值班</source>
        <translation>Choose a date in the table first</translation>
    </message>
    <message>
        <source>已修改 {0} 次</source>
        <translation>{0} dates changed</translation>
    </message>
    <message>
        <source>已删除这一天，其他日期不变</source>
        <translation>Date removed; the other dates are unchanged</translation>
    </message>
    <message>
        <source>请先选择一个轮值</source>
        <translation>Choose a rota first</translation>
    </message>
    <message>
        <source>仍然添加</source>
        <translation>Add anyway</translation>
    </message>
    <message>
        <source>提醒：{0}。确实要添加，请再点“仍然添加”</source>
        <translation>Warning: {0}. To add it anyway, click “Add anyway”</translation>
    </message>
    <message>
        <source>已添加 {0}</source>
        <translation>Added {0}</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <source>预约规则</source>
        <translation>Booking rules</translation>
    </message>
    <message>
        <source>拒绝预约</source>
        <translation>Refuse the booking</translation>
    </message>
    <message>
        <source>提醒，由办事员确认后预约</source>
        <translation>Warn; the clerk confirms and books</translation>
    </message>
    <message>
        <source>预约超出调解室开放时间、在法定节假日或调解员可约时间以外时：
（同一调解室、调解员或当事人时间重叠，以及两场之间的预留时间，总是拒绝）</source>
        <translation>When a booking falls outside the room&apos;s opening hours, on an official holiday or outside a mediator&apos;s hours:
(an overlap of a room, mediator or party, and the buffer between two sessions, are always refused)</translation>
    </message>
</context>
<context>
    <name>ScopeDialog</name>
    <message>
        <source>值班轮值</source>
        <translation>Duty rota</translation>
    </message>
    <message>
        <source>不调整</source>
        <translation>Don&apos;t change</translation>
    </message>
</context>
<context>
    <name>SecondScreenWindow</name>
    <message>
        <source>视频墙（副屏）</source>
        <translation>Video wall (second screen)</translation>
    </message>
</context>
<context>
    <name>SeriesEditor</name>
    <message>
        <source>值班轮值中的一次</source>
        <translation>One occurrence of a duty rota</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>取消原因（取消时必填）</source>
        <translation>Reason for cancelling (required to cancel)</translation>
    </message>
    <message>
        <source>调整时间和调解室</source>
        <translation>Change time and room</translation>
    </message>
    <message>
        <source>取消调解</source>
        <translation>Cancel session</translation>
    </message>
    <message>
        <source>范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>时长</source>
        <translation>Length</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>已调整 {0} 次</source>
        <translation>Changed {0} occurrence(s)</translation>
    </message>
    <message>
        <source>已取消 {0} 次</source>
        <translation>Cancelled {0} occurrence(s)</translation>
    </message>
</context>
<context>
    <name>SeriesScope</name>
    <message>
        <source>仅此一次</source>
        <translation>This one only</translation>
    </message>
    <message>
        <source>此次及以后</source>
        <translation>This and the following</translation>
    </message>
    <message>
        <source>整个系列</source>
        <translation>The whole series</translation>
    </message>
</context>
<context>
    <name>SessionStatusBar</name>
    <message>
        <source>取消原因（取消时必填）</source>
        <translation>Reason for cancelling (required to cancel)</translation>
    </message>
    <message>
        <source>已举行</source>
        <translation>Held</translation>
    </message>
    <message>
        <source>这场调解已举行（Alt+H）</source>
        <translation>This session took place (Alt+H)</translation>
    </message>
    <message>
        <source>未到场</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>当事人未到场，调解没有举行（Alt+N）</source>
        <translation>The parties did not come; the session did not take place (Alt+N)</translation>
    </message>
    <message>
        <source>取消调解</source>
        <translation>Cancel session</translation>
    </message>
    <message>
        <source>取消这场调解并释放调解室，须填写原因（Alt+C）</source>
        <translation>Cancel this session and free the room; a reason is required (Alt+C)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>本中心（所有工作站共用，存于中心数据库）</source>
        <translation>This centre (shared by every workstation, kept in the centre database)</translation>
    </message>
    <message>
        <source>本工作站（仅本机的当前用户，存于本机）</source>
        <translation>This workstation (only the current user on this computer, kept on this computer)</translation>
    </message>
    <message>
        <source>只有中心主任或系统管理员可以修改本中心的设置；本工作站的设置可以修改。</source>
        <translation>Only the centre head or a system administrator can change this centre&apos;s settings; this workstation&apos;s settings are yours to change.</translation>
    </message>
    <message>
        <source>正在使用：{0}。修改后重新启动程序生效；启动参数 --db 优先于此设置。</source>
        <translation>In use: {0}. A change takes effect when the program is restarted; the --db start option takes precedence over this setting.</translation>
    </message>
    <message>
        <source>拒绝预约</source>
        <translation>Refuse the booking</translation>
    </message>
    <message>
        <source>提醒，由接待员确认</source>
        <translation>Warn; the clerk confirms</translation>
    </message>
    <message>
        <source>打印机名称、escpos:主机:9100 或 pdf:/路径.pdf</source>
        <translation>printer name, escpos:host:9100 or pdf:/path.pdf</translation>
    </message>
    <message>
        <source>无法保存本工作站的设置：{0}</source>
        <translation>Cannot save this workstation&apos;s settings: {0}</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>按键</source>
        <translation>Keys</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>What it does</translation>
    </message>
    <message>
        <source>打开该工作区后，这里列出它的快捷键</source>
        <translation>Its shortcuts are listed here once the workspace has been opened</translation>
    </message>
    <message>
        <source>此工作区没有专用快捷键</source>
        <translation>This workspace has no shortcuts of its own</translation>
    </message>
</context>
<context>
    <name>Subscriptions</name>
    <message>
        <source>订阅文件无法更新：{0}，请检查文件夹或停止这个订阅</source>
        <translation>Subscription files could not be updated: {0}; check the folder or stop the subscription</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <source>县级同步</source>
        <translation>County sync</translation>
    </message>
    <message>
        <source>（未配置）</source>
        <translation>(not configured)</translation>
    </message>
    <message>
        <source>县级服务器：</source>
        <translation>County server:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>State:</translation>
    </message>
    <message>
        <source>待上传变更：</source>
        <translation>Waiting to upload:</translation>
    </message>
    <message>
        <source>上次成功：</source>
        <translation>Last success:</translation>
    </message>
    <message>
        <source>本次运行：</source>
        <translation>This run:</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>最近的错误：</source>
        <translation>Recent errors:</translation>
    </message>
    <message>
        <source>{0} 条</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>尚未成功同步</source>
        <translation>Not synced successfully yet</translation>
    </message>
    <message>
        <source>已上传 {0} 条，已接收 {1} 条</source>
        <translation>{0} uploaded, {1} received</translation>
    </message>
    <message>
        <source>（没有错误）</source>
        <translation>(no errors)</translation>
    </message>
</context>
<context>
    <name>TourEditor</name>
    <message>
        <source>编辑轮巡方案</source>
        <translation>Edit tours</translation>
    </message>
    <message>
        <source>新建</source>
        <translation>New</translation>
    </message>
    <message>
        <source>重命名</source>
        <translation>Rename</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>轮巡方案</source>
        <translation>Tours</translation>
    </message>
    <message>
        <source>单个摄像机，或一个村/点位的全部摄像机（分组单独成页）</source>
        <translation>A single camera, or every camera of a village/site (a group gets its own pages)</translation>
    </message>
    <message>
        <source> 秒</source>
        <translation> s</translation>
    </message>
    <message>
        <source>加入</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>分屏</source>
        <translation>Layout</translation>
    </message>
    <message>
        <source>停留时间</source>
        <translation>Dwell time</translation>
    </message>
    <message>
        <source>顺序（可拖动调整）</source>
        <translation>Order (drag to rearrange)</translation>
    </message>
    <message>
        <source>分组：{0}</source>
        <translation>Group: {0}</translation>
    </message>
    <message>
        <source>摄像机：{0}（{1}）</source>
        <translation>Camera: {0} ({1})</translation>
    </message>
    <message>
        <source>摄像机：{0}</source>
        <translation>Camera: {0}</translation>
    </message>
    <message>
        <source>已删除的摄像机</source>
        <translation>Deleted camera</translation>
    </message>
    <message>
        <source>{0} — {1} 秒</source>
        <translation>{0} — {1} s</translation>
    </message>
    <message>
        <source>目录中还没有摄像机。</source>
        <translation>There are no cameras in the registry yet.</translation>
    </message>
    <message>
        <source>（新方案，保存时命名）</source>
        <translation>(new tour, named when saved)</translation>
    </message>
    <message>
        <source>保存轮巡方案</source>
        <translation>Save tour</translation>
    </message>
    <message>
        <source>方案名称：</source>
        <translation>Tour name:</translation>
    </message>
    <message>
        <source>请先选中一个已保存的轮巡方案。</source>
        <translation>Select a saved tour first.</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>重命名轮巡方案</source>
        <translation>Rename tour</translation>
    </message>
    <message>
        <source>新名称：</source>
        <translation>New name:</translation>
    </message>
    <message>
        <source>删除轮巡方案</source>
        <translation>Delete tour</translation>
    </message>
    <message>
        <source>确定删除轮巡方案“{0}”？</source>
        <translation>Delete the tour “{0}”?</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <source>拖入摄像机</source>
        <translation>Drop a camera here</translation>
    </message>
    <message>
        <source>● 录制 {0} 秒</source>
        <translation>● REC {0} s</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <source>空闲</source>
        <translation>Idle</translation>
    </message>
    <message>
        <source>连接中</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <source>播放中</source>
        <translation>Playing</translation>
    </message>
    <message>
        <source>画面停滞</source>
        <translation>Stalled</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>无法播放</source>
        <translation>Cannot play</translation>
    </message>
    <message>
        <source>1 分屏</source>
        <translation>1 tile</translation>
    </message>
    <message>
        <source>4 分屏</source>
        <translation>4 tiles</translation>
    </message>
    <message>
        <source>9 分屏</source>
        <translation>9 tiles</translation>
    </message>
    <message>
        <source>16 分屏</source>
        <translation>16 tiles</translation>
    </message>
    <message>
        <source>25 分屏</source>
        <translation>25 tiles</translation>
    </message>
    <message>
        <source>36 分屏</source>
        <translation>36 tiles</translation>
    </message>
    <message>
        <source>1+5 分屏</source>
        <translation>1 + 5 tiles</translation>
    </message>
    <message>
        <source>1+7 分屏</source>
        <translation>1 + 7 tiles</translation>
    </message>
</context>
<context>
    <name>VideoWallPage</name>
    <message>
        <source>录制片段</source>
        <translation>Record clip</translation>
    </message>
    <message>
        <source>打开已保存的墙面</source>
        <translation>Open a saved wall</translation>
    </message>
    <message>
        <source>分屏：</source>
        <translation>Layout:</translation>
    </message>
    <message>
        <source>保存墙面</source>
        <translation>Save wall</translation>
    </message>
    <message>
        <source>墙面名称：</source>
        <translation>Wall name:</translation>
    </message>
    <message>
        <source>打开墙面</source>
        <translation>Open wall</translation>
    </message>
    <message>
        <source>轮巡</source>
        <translation>Tour</translation>
    </message>
    <message>
        <source>还没有轮巡方案，请先建立。</source>
        <translation>There is no tour yet; create one first.</translation>
    </message>
    <message>
        <source>停止轮巡</source>
        <translation>Stop tour</translation>
    </message>
    <message>
        <source>开始轮巡</source>
        <translation>Start tour</translation>
    </message>
    <message>
        <source>搜索摄像机：名称、位置或国标编码</source>
        <translation>Search cameras: name, place or national code</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>打开墙面…</source>
        <translation>Open a wall…</translation>
    </message>
    <message>
        <source>把当前分屏和摄像机保存为命名墙面</source>
        <translation>Save the current layout and cameras as a named wall</translation>
    </message>
    <message>
        <source>按轮巡方案逐页播放</source>
        <translation>Play the chosen tour page by page</translation>
    </message>
    <message>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>暂停/继续轮巡</source>
        <translation>Pause or resume the tour</translation>
    </message>
    <message>
        <source>副屏窗口</source>
        <translation>Second screen</translation>
    </message>
    <message>
        <source>在单独窗口（第二块屏幕）全屏打开墙面</source>
        <translation>Open the wall full screen in its own window (second screen)</translation>
    </message>
    <message>
        <source>截图</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>选中画面截图取证</source>
        <translation>Snapshot the selected tile as evidence</translation>
    </message>
    <message>
        <source>录制选中画面 30 秒作为取证（右键菜单可选 10/60 秒）</source>
        <translation>Record 30 s of the selected tile as evidence (10/60 s from the tile menu)</translation>
    </message>
    <message>
        <source>在线状态</source>
        <translation>Camera health</translation>
    </message>
    <message>
        <source>查看离线的摄像机</source>
        <translation>Show the cameras that are offline</translation>
    </message>
    <message>
        <source>新增摄像机</source>
        <translation>New camera</translation>
    </message>
    <message>
        <source>在目录中新增一台摄像机</source>
        <translation>Add a camera to the registry</translation>
    </message>
    <message>
        <source>编辑目录中选中的摄像机</source>
        <translation>Edit the camera selected in the registry</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>从 CSV 文件导入摄像机（报告被拒绝的行）</source>
        <translation>Import cameras from a CSV file (rejected lines are reported)</translation>
    </message>
    <message>
        <source>编辑轮巡</source>
        <translation>Edit tours</translation>
    </message>
    <message>
        <source>新建、重命名、删除轮巡方案，调整顺序和停留时间</source>
        <translation>Create, rename and delete tours; change their order and dwell times</translation>
    </message>
    <message>
        <source>数据库暂时无法写入</source>
        <translation>the database cannot be written to at the moment</translation>
    </message>
    <message>
        <source>观看记录（审计）写入失败：{0}。{1} 条记录保留待写，正在自动重试（第 {2} 次），请勿关闭电脑；如持续出现请联系管理员。</source>
        <translation>Writing the viewing record (audit) failed: {0}. {1} records kept for writing, retrying automatically (attempt {2}); do not switch the computer off, and call the administrator if this persists.</translation>
    </message>
    <message>
        <source>上次墙面</source>
        <translation>Last wall</translation>
    </message>
    <message>
        <source>继续</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>{0} 秒后翻页</source>
        <translation>Next page in {0} s</translation>
    </message>
    <message>
        <source>轮巡“{0}” 第 {1}/{2} 页，{3}；下一页：{4}</source>
        <translation>Tour “{0}” page {1}/{2}, {3}; next: {4}</translation>
    </message>
    <message>
        <source>最大化/还原</source>
        <translation>Maximise/restore</translation>
    </message>
    <message>
        <source>截图取证</source>
        <translation>Snapshot as evidence</translation>
    </message>
    <message>
        <source>{0} 秒</source>
        <translation>{0} s</translation>
    </message>
    <message>
        <source>从画面创建事件</source>
        <translation>Create incident from this tile</translation>
    </message>
    <message>
        <source>清空画面</source>
        <translation>Clear tile</translation>
    </message>
    <message>
        <source>请先选中一个有摄像机的画面再录制。</source>
        <translation>Select a tile showing a camera first, then record.</translation>
    </message>
    <message>
        <source>编辑摄像机</source>
        <translation>Edit camera</translation>
    </message>
    <message>
        <source>请先在目录中选中一台摄像机。</source>
        <translation>Select a camera in the tree first.</translation>
    </message>
</context>
<context>
    <name>VisitorDialog</name>
    <message>
        <source>由本次来访生成事件</source>
        <translation>Start an incident from this visit</translation>
    </message>
    <message>
        <source>生成一件来访渠道的事件，预填来访内容</source>
        <translation>Create a walk-in incident prefilled from the visit</translation>
    </message>
    <message>
        <source>纠纷类别，可从列表选择或直接输入</source>
        <translation>Dispute category: pick one from the list or type it</translation>
    </message>
    <message>
        <source>由本次来访生成调解案件</source>
        <translation>Start a mediation case from this visit</translation>
    </message>
    <message>
        <source>受理一件调解案件，来访人为申请人，关联本次来访</source>
        <translation>Accept a mediation case with the visitor as applicant, linked to this visit</translation>
    </message>
    <message>
        <source>来访记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>信访事项</source>
        <translation>Petitions</translation>
    </message>
    <message>
        <source>关联事件</source>
        <translation>Linked incidents</translation>
    </message>
    <message>
        <source>调解案件</source>
        <translation>Mediation cases</translation>
    </message>
    <message>
        <source>来访人：{0}</source>
        <translation>Visitor: {0}</translation>
    </message>
    <message>
        <source>无身份证号</source>
        <translation>no ID number</translation>
    </message>
    <message>
        <source>注意：同一身份证号还以“{0}”登记过</source>
        <translation>Note: the same ID number was also registered as “{0}”</translation>
    </message>
    <message>
        <source>显示完整证件号和电话</source>
        <translation>Show full ID number and phone</translation>
    </message>
    <message>
        <source>查看会记入审计日志，{0} 分钟后自动隐藏</source>
        <translation>Viewing is recorded in the audit log; hidden again after {0} minutes</translation>
    </message>
    <message>
        <source>{0}  {1}  {2}  {3}</source>
        <translation>{0}  {1}  {2}  {3}</translation>
    </message>
    <message>
        <source>{0}  {1}  收到 {2}</source>
        <translation>{0}  {1}  received {2}</translation>
    </message>
    <message>
        <source>（完整号码显示至 {0}）</source>
        <translation> (full numbers shown until {0})</translation>
    </message>
    <message>
        <source>{0}  {1}  {2}{3}</source>
        <translation>{0}  {1}  {2}{3}</translation>
    </message>
    <message>
        <source>无电话</source>
        <translation>no phone</translation>
    </message>
    <message>
        <source>本次来访：{0}  {1}  {2}</source>
        <translation>This visit: {0}  {1}  {2}</translation>
    </message>
    <message>
        <source>{0} {1}  {2}</source>
        <translation>{0} {1}  {2}</translation>
    </message>
    <message>
        <source>（{0} 号窗口）</source>
        <translation> (window {0})</translation>
    </message>
    <message>
        <source>等候 {0} 分钟</source>
        <translation>waited {0} min</translation>
    </message>
    <message>
        <source>仍在等候或未叫号</source>
        <translation>still waiting or not called</translation>
    </message>
    <message>
        <source>办理 {0} 分钟</source>
        <translation>served in {0} min</translation>
    </message>
    <message>
        <source>排队号 {0}；{1}</source>
        <translation>Ticket {0}; {1}</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <source>一行 {0} 人（集体访）</source>
        <translation>a party of {0} (group visit)</translation>
    </message>
    <message>
        <source>一行 {0} 人</source>
        <translation>a party of {0}</translation>
    </message>
    <message>
        <source>内容：{0}</source>
        <translation>Matter: {0}</translation>
    </message>
    <message>
        <source>登记人：{0}</source>
        <translation>Registered by: {0}</translation>
    </message>
    <message>
        <source>已生成事件，值班员可在分流队列中看到。</source>
        <translation>Incident created; the duty officer sees it in the triage queue.</translation>
    </message>
    <message>
        <source>已受理调解案件，可在调解室日历中安排调解。</source>
        <translation>Mediation case accepted; book its sessions in the mediation calendar.</translation>
    </message>
</context>
<context>
    <name>VisitsModel</name>
    <message>
        <source>号码</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>来访时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>分流去向</source>
        <translation>Routed to</translation>
    </message>
    <message>
        <source>{0} 人（集体访）</source>
        <translation>{0} (collective)</translation>
    </message>
</context>
<context>
    <name>WindowPanel</name>
    <message>
        <source>窗口叫号</source>
        <translation>Window calling</translation>
    </message>
    <message>
        <source>{0} 号窗口 {1}（{2}）</source>
        <translation>Window {0} {1} ({2})</translation>
    </message>
    <message>
        <source>叫下一位</source>
        <translation>Call next</translation>
    </message>
    <message>
        <source>重呼</source>
        <translation>Recall</translation>
    </message>
    <message>
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Served</translation>
    </message>
    <message>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>已离开</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>转移…</source>
        <translation>Transfer…</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
    <message>
        <source>午休暂停</source>
        <translation>Pause for break</translation>
    </message>
    <message>
        <source>恢复开放</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>暂停本窗口叫号（午休等），等候的人保留原顺序和等候时间</source>
        <translation>Stop calling at this window (lunch and other breaks); people waiting keep their place and their waiting time</translation>
    </message>
    <message>
        <source>本窗口恢复叫号</source>
        <translation>Start calling at this window again</translation>
    </message>
    <message>
        <source>现在没有人等候。</source>
        <translation>Nobody is waiting.</translation>
    </message>
    <message>
        <source>{0} 号窗口已暂停叫号。</source>
        <translation>Window {0} is paused.</translation>
    </message>
    <message>
        <source>仍有人等候没有开放窗口办理的服务：{0}；他们保留原顺序，窗口恢复后按序叫号。</source>
        <translation> People still wait for services no open window serves: {0}; they keep their place and are called in order when a window reopens.</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>{0} {1} {2} 人</source>
        <translation>{0} {1}: {2} waiting</translation>
    </message>
    <message>
        <source>{0} 号窗口已恢复开放，可以叫号。</source>
        <translation>Window {0} is open again; you can call.</translation>
    </message>
    <message>
        <source>请先选择窗口。</source>
        <translation>Choose a window first.</translation>
    </message>
    <message>
        <source>已叫 {0} 号</source>
        <translation>Called {0}</translation>
    </message>
    <message>
        <source>这个窗口现在没有号。</source>
        <translation>This window has no ticket now.</translation>
    </message>
    <message>
        <source>已重呼 {0} 号</source>
        <translation>Recalled {0}</translation>
    </message>
    <message>
        <source>{0} 号开始办理</source>
        <translation>{0}: serving started</translation>
    </message>
    <message>
        <source>{0} 号已办结</source>
        <translation>{0}: served</translation>
    </message>
    <message>
        <source>{0} 号已过号</source>
        <translation>{0}: no-show</translation>
    </message>
    <message>
        <source>{0} 号已离开</source>
        <translation>{0}: left</translation>
    </message>
    <message>
        <source>转移</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>转往服务</source>
        <translation>Transfer to service</translation>
    </message>
    <message>
        <source>{0} 号已转移，保留原排队时间</source>
        <translation>{0} transferred, keeping its waiting time</translation>
    </message>
</context>
<context>
    <name>WorkingDaysDialog</name>
    <message>
        <source>工作日</source>
        <translation>Working days</translation>
    </message>
    <message>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>休息/上班</source>
        <translation>Rest/working</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>改一天</source>
        <translation>Change one day</translation>
    </message>
    <message>
        <source>休息（放假）</source>
        <translation>Rest (holiday)</translation>
    </message>
    <message>
        <source>上班（调休）</source>
        <translation>Working (make-up day)</translation>
    </message>
    <message>
        <source>说明，例如：春节</source>
        <translation>Note, e.g. Spring Festival</translation>
    </message>
    <message>
        <source>保存这一天</source>
        <translation>Save this day</translation>
    </message>
    <message>
        <source>删除所选更正</source>
        <translation>Remove selected correction</translation>
    </message>
    <message>
        <source>这一天恢复按官方日历（或按星期）计算</source>
        <translation>This day follows the official calendar (or its weekday) again</translation>
    </message>
    <message>
        <source>导入国务院办公厅公布的安排</source>
        <translation>Import the schedule published by the State Council General Office</translation>
    </message>
    <message>
        <source>每行一条：日期 休/班 说明，例如
2027-01-01 休 元旦
2027-02-06~2027-02-13 休 春节
2027-02-14 班 春节调休</source>
        <translation>One line each: date off/work note, e.g.
2027-01-01 off New Year&apos;s Day
2027-02-06~2027-02-13 off Spring Festival
2027-02-14 work make-up day</translation>
    </message>
    <message>
        <source>从文本文件读入…</source>
        <translation>Read from a text file…</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>官方日历</source>
        <translation>Official calendar</translation>
    </message>
    <message>
        <source>本中心更正</source>
        <translation>Centre&apos;s correction</translation>
    </message>
    <message>
        <source>上班</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>休息</source>
        <translation>Rest</translation>
    </message>
    <message>
        <source>{0} 年：官方日历已收录；本中心更正 {1} 天</source>
        <translation>{0}: known to the official calendar; {1} days corrected by the centre</translation>
    </message>
    <message>
        <source>{0} 年：官方日历未收录，按本中心录入的 {1} 天安排，其余按星期</source>
        <translation>{0}: not in the official calendar; the centre&apos;s {1} entered days apply, other days by weekday</translation>
    </message>
    <message>
        <source>{0} 年：官方日历未收录，本中心也未录入——暂按星期计算（周一至周五上班），节假日不会自动关闭调解室。请录入国务院办公厅公布的安排。</source>
        <translation>{0}: neither the official calendar nor the centre&apos;s table knows this year — days count by weekday (Monday to Friday working) and holidays will not close the rooms. Enter the schedule published by the State Council General Office.</translation>
    </message>
    <message>
        <source>已保存 {0}</source>
        <translation>Saved {0}</translation>
    </message>
    <message>
        <source>请先在表中选择一条本中心更正</source>
        <translation>Choose one of the centre&apos;s corrections in the table first</translation>
    </message>
    <message>
        <source>{0} 已恢复按官方日历计算</source>
        <translation>{0} follows the official calendar again</translation>
    </message>
    <message>
        <source>选择节假日安排文本文件</source>
        <translation>Choose a holiday schedule text file</translation>
    </message>
    <message>
        <source>文本文件 (*.txt *.csv)</source>
        <translation>Text files (*.txt *.csv)</translation>
    </message>
    <message>
        <source>无法读取文件 {0}</source>
        <translation>Cannot read the file {0}</translation>
    </message>
    <message>
        <source>文件太大（超过 200 KB），这不像节假日安排</source>
        <translation>The file is too large (over 200 KB) to be a holiday schedule</translation>
    </message>
    <message>
        <source>文件不是文本（UTF-8 或 GB18030）</source>
        <translation>The file is not text (UTF-8 or GB18030)</translation>
    </message>
    <message>
        <source>已读入 {0}，检查后点“导入”</source>
        <translation>{0} read; check it, then click “Import”</translation>
    </message>
    <message>
        <source>已导入：新增 {0} 天，修改 {1} 天</source>
        <translation>Imported: {0} days added, {1} changed</translation>
    </message>
    <message>
        <source>。这些调解现在落在休息日，请改期：{0}</source>
        <translation>. These sessions now fall on a rest day; move them: {0}</translation>
    </message>
</context>
<context>
    <name>Workspaces</name>
    <message>
        <source>事件分流</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>值班员的事件分流队列：待分流、我的、即将超期/已超期、待核实、已上报县级、按部门；事件闭环处置（受理、派遣、处置反馈、核实、结案）。</source>
        <translation>Duty officers&apos; triage queues: untriaged, mine, due soon/overdue, awaiting verification, escalated to the county, by department; the closed loop (accept, dispatch, handle, verify, close).</translation>
    </message>
    <message>
        <source>视频墙</source>
        <translation>Video wall</translation>
    </message>
    <message>
        <source>视频巡查：摄像机目录树、1/4/9/16/25/36 分屏、轮巡、截图取证、从画面创建事件、摄像机在线状态。</source>
        <translation>Video patrol: camera tree, 1/4/9/16/25/36 layouts, tours, snapshots as evidence, incidents from a tile, camera health.</translation>
    </message>
    <message>
        <source>调解室日历</source>
        <translation>Mediation calendar</translation>
    </message>
    <message>
        <source>调解室与调解员的日/周日历：坐班、预约、冲突检查、调解案件与成功率、iCalendar 导出、打印日程表。</source>
        <translation>Day and week calendars of mediation rooms and mediators: rota, appointments, conflict checks, cases and success rates, iCalendar export, printable day sheet.</translation>
    </message>
    <message>
        <source>接待登记</source>
        <translation>Reception</translation>
    </message>
    <message>
        <source>来访登记：身份证号校验、排队取号、分流到窗口/调解室/部门、重复来访识别、信访事项法定期限。</source>
        <translation>Visitor registration: ID number checks, queue tickets, routing to windows/rooms/departments, repeat visitors, statutory petition time limits.</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>中心主任的统计看板：受理量、处置成功率、超期数，按类别、网格、部门和月份。</source>
        <translation>The centre head&apos;s dashboard: reports received, success rate, overdue counts by category, grid, department and month.</translation>
    </message>
</context>
</TS>
