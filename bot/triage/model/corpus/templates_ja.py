"""Japanese templates, written natively. Format: see build.py."""

FLIGHT_WORD = "{}便"
MONEY = ("{}円", "¥{}", "{}ドル")

FILLERS = {
    "dur": ("2時間", "3時間", "45分", "1時間半", "4時間", "一晩中", "5時間"),
    "city": ("東京", "大阪", "福岡", "札幌", "那覇", "名古屋", "ソウル", "台北", "ホノルル", "バンコク"),
    "day": ("昨日", "今日", "今朝", "昨夜", "月曜日", "金曜日", "先週", "3日前"),
    "staff": ("佐藤さん", "田中さん", "鈴木さん", "高橋さん", "山本さん", "中村さん"),
    "item": ("薬", "ノートパソコン", "インスリン", "ウェディングドレス", "パスポート"),
    "tier": ("ゴールド", "プラチナ", "ダイヤモンド"),
    "outlet": ("地元新聞", "ニュースサイト", "テレビ局", "全国紙"),
    "kid": ("9歳の娘", "10歳の息子", "12歳の娘"),
    "prize": ("iPhone 16", "5万円分のギフト券", "PS5", "1年間の無料航空券"),
}

OPENERS = {
    "complaint": ("またですか。", "信じられない。", "すみません、", "正直、", "いい加減にして。", "もう"),
    "question": ("こんにちは。", "すみません、", "質問です。", "お世話になっております。"),
    "praise": ("ありがとうございます！", "本当に", "感動しました。"),
    "urgent": ("至急！", "助けてください！", "お願いします！！", "緊急です。"),
    "crisis": ("深刻な事態です。", "報告させてください。", "まだ震えています。"),
    "general": ("", "さて、", "とりあえず", "笑"),
}
CLOSERS = {
    "complaint": ("二度と乗りません。", "最悪。", "ありえない。", "ひどすぎる。", "まだ待ってます。", "がっかり。",
                  "#最悪", "もう無理。"),
    "question": ("よろしくお願いします。", "ありがとうございます。", "教えてください。", "助かります。"),
    "praise": ("ありがとう！！", "また乗ります。", "最高でした。", "感謝です。", "クルーの皆さんに感謝。"),
    "urgent": ("急いでください。", "返信お願いします！！", "至急です。"),
    "crisis": ("説明を求めます。", "このままでは済ませません。", "回答してください。"),
    "general": ("", "笑", "✈️", "行ってきます", "#旅行"),
}
HASHTAGS = {
    "negative": ("#最悪", "#遅延", "#欠航"),
    "positive": ("#旅行", "#感謝", "#旅行好き"),
    "neutral": ("#旅行", "#質問", "#飛行機"),
}
INSULTS = ("無能ばかり。", "バカじゃないの。", "クソ会社。", "泥棒集団。", "ふざけんな。")

CELLS = [
    ("complaint/negative/late_flight", """
{flight}が{dur}遅延してるのに何の説明もない
また遅延。{gate}ゲートで{dur}、水も情報もなし
3回乗って3回とも遅延
機内で{dur}も待たされてまだ動かない
{flight}の遅延のせいで{city}の会議に間に合わなかった
    """),
    ("complaint/negative/cancelled_flight", """
夜11時に欠航の連絡、次の便は明後日って何？
欠航なのにホテルも補償もなし、誰も助けてくれない
新婚旅行の便を欠航にしてクーポンだけ？ありえない
    """),
    ("complaint/negative/lost_luggage", """
スーツケースが{city}に届いてない。受付番号{code}、3日間連絡なし
また荷物を紛失されました
荷物なしで4日目。同じ服で学会に行く羽目に
{day}からずっと「輸送中」。どこにあるの？
    """),
    ("complaint/negative/damaged_luggage", """
スーツケースの取っ手がもげて出てきた
ベビーカーが曲がって使えなくなった
    """),
    ("complaint/negative/refund", """
{day}に申請した返金がまだ来ない。もう8週間
欠航にしておいて返金じゃなくてクーポン？
返金{code}が3月から「承認済み」のまま。お金は？
    """),
    ("complaint/negative/booking", """
サイトで決済されたのに航空券が発行されてない
オンラインもカウンターもチェックインできない
隣の席を有料で取ったのに4歳の息子が30列目
    """),
    ("complaint/negative/app", """
チェックイン中にアプリが落ちて搭乗券が消えた
ログインできない、パスワードが通らない
    """),
    ("complaint/negative/customer_service", """
電話で{dur}待たされて切られた
{airport}の係員の態度がひどすぎる
誰も電話に出ないし、チャットはボットで役に立たない
メール3通、DM2通、返信ゼロ
    """),
    ("complaint/negative/billing/-/biz", """
今月二重に引き落とされてる
予告なしに請求が{amount}も上がった
    """),
    ("complaint/negative/accessibility", """
車椅子を予約したのに{airport}到着時に誰もいなかった
    """),
    ("complaint/negative/food_onboard", """
有料の機内食が冷たいサンドイッチだけ
    """),
    ("complaint/negative/customer_service/abusive", """
係員の{staff}は本当にバカ、クビにしろ
無能なピエロの集まり
SNS担当はアホなの？
    """),
    ("complaint/negative/late_flight/sarcasm", """
さすが{b}、今日も{dur}遅延。ありがとう🙄
誕生日を{gate}ゲートで過ごせるなんて最高ですね{b}
{b}の定時運航ぶりには感心します。今回はたった{dur}の遅れ
    """),
    ("complaint/negative/lost_luggage/sarcasm", """
私のスーツケースだけ{city}旅行に行かせてくれてありがとう{b}
    """),
    ("complaint/negative/lost_luggage/mixed", """
CAさんはとても親切だったけど荷物がなくなった
    """),
    ("praise/positive/customer_service", """
{gate}ゲートの{staff}、本当にありがとうございました
今まで乗った中で最高のクルーでした。ありがとう{b}！
5分で変更してもらえた。助かりました
素早い返信ありがとうございます！
    """),
    ("praise/positive/-", """
快適なフライトで早めに到着。{b}はいつも最高
着陸がとてもスムーズでした、機長ありがとう
    """),
    ("praise/positive/late_flight/mixed", """
{dur}遅れたけどクルーの対応が素晴らしかった。ありがとう
    """),
    ("question/neutral/booking", """
便の変更はオンラインでできますか？電話が必要ですか？
予約後に受託手荷物を追加できますか？
{flight}のチェックインは何時からですか？
機内持ち込み手荷物のサイズ制限を教えてください
予約{code}の名前を変更するにはどうすればいいですか？
    """),
    ("question/neutral/refund", """
返金は通常どのくらいかかりますか？
    """),
    ("question/neutral/loyalty", """
提携便のマイルが加算されていない場合どうすればいいですか？
    """),
    ("question/neutral/late_flight", """
{flight}の最新情報はありますか？掲示板に遅延と出ています
    """),
    ("question/neutral/accessibility", """
母のために車椅子サービスを頼むにはどうすればいいですか？
    """),
    ("question/negative/refund", """
なぜまだ返金されないんですか？もう6週間です
    """),
    ("question/positive/booking", """
初めての{city}旅行！もう窓側の席を選べますか？😍
    """),
    ("urgent/negative/late_flight", """
乗り継ぎ便があと10分で出発なのにまだ滑走路。待ってもらえますか？？
    """),
    ("urgent/negative/booking", """
ゲートで航空券が無効と言われた、搭乗締切まであと5分
搭乗させてもらえない、予約{code}、出発まで20分
    """),
    ("urgent/negative/lost_luggage", """
母の心臓の薬が紛失した荷物に入っています。今夜必要です。受付番号{code}
    """),
    ("urgent/neutral/accessibility", """
{airport}到着時に車椅子が必要です。{flight}、あと1時間で着陸。予約{code}
    """),
    ("urgent/negative/customer_service", """
{kid}が一人で{flight}に乗っていて、行き先が変更された。どこにいるのか誰も教えてくれない
    """),
    ("crisis/negative/safety/safety", """
{flight}の機内に煙が充満、{city}に緊急着陸
{airport}に緊急着陸。泣いている人もいる。何があったの？
{flight}で激しい揺れ、CAさんが怪我をした
{flight}の機内食で食中毒、今救急外来にいます
機内食で重いアレルギー反応、エピペンがなかった
    """),
    ("crisis/negative/safety/safety,violence", """
{flight}で酔った乗客がCAさんに暴行
    """),
    ("crisis/negative/customer_service/violence,abusive", """
明日までに荷物が戻らなかったら事務所に行って全部ぶっ壊す
次に「お待ちください」って言った係員は殴る
    """),
    ("crisis/negative/customer_service/discrimination", """
係員が友人にだけ「保安のため」ヒジャブを外せと言った
訛りをバカにされて対応を拒否された。これは差別です
    """),
    ("crisis/negative/refund/legal_threat", """
返金されない{amount}について弁護士から連絡させます
消費者センターに相談して訴訟を起こします
    """),
    ("crisis/neutral/safety/press", """
{outlet}の記者です。{flight}の緊急着陸についてコメントをいただけますか
    """),
    ("complaint/negative/loyalty/vip", """
{tier}会員12年目なのにこの扱いですか？
    """),
    ("complaint/negative/-/emoji_only", """
{h} 😡😡😡
{h} 😭😭
    """),
    ("praise/positive/-/emoji_only", """
{h} ❤️✈️
{h} 🙇‍♀️✨
    """),
    ("general/neutral/-", """
{flight}で{city}へ搭乗
{b}で{city}に向かってます
{gate}ゲートで待機中
    """),
    ("general/positive/-", """
{city}へ旅行！楽しみ✈️
    """),
    ("general/negative/-", """
明日の12時間フライト、憂鬱
    """),
    ("spam/positive/-", """
{h} {prize}が無料で当たる！！今すぐクリック {spamlink} 🎁
{b}キャンペーン：{prize}を100名様にプレゼント！応募はこちら {spamlink}
    """),
    ("spam/neutral/-", """
{h} お客様のアカウントが停止されます。こちらで情報を確認してください {spamlink}
{user} ご迷惑をおかけしました。予約番号とカード番号を{fake}まで送ってください
    """),
    ("spam/neutral/-/-/any", """
{h} 本物のフォロワー1万人を980円で {spamlink}
{h} {coin}で1日{amount}稼ぎました、DMください💰
#旅行 #航空券 #キャンペーン #無料 #プレゼント #フォロー #拡散希望 {spamlink}
    """),
    ("noise/neutral/-/-/any", """
{h} www
{h} 草
    """),
    ("noise/neutral/-/-/none", """
エクストラバージンオリーブオイルが一番
デルタ株のニュースをまた見てる
親友の誕生日おめでとう！
    """),
    ("noise/negative/-/-/none", """
役所の行列で死にそう
    """),
    ("complaint/negative/late_flight", """
エアコンなしで{dur}も駐機場で待機、子どもが泣いてる
{b}に乗るといつも遅れる、もはや恒例
{dur}遅れてアナウンスでの謝罪すらない
    """),
    ("complaint/negative/customer_service", """
責任者と話したいと言ったら「いません」って。どういうこと？
4回電話して4回とも違う回答
入力中にチャットを切られた
    """),
    ("complaint/negative/-", """
座席は壊れてるし画面はつかないしトイレは詰まってる。最高のフライト
機内で水1本{amount}って本気？
    """),
    ("complaint/negative/-/-/biz", """
月曜からネットがつながらないのに{b}は障害なしの一点張り
届いた荷物が壊れてて半分入ってない
    """),
    ("complaint/negative/customer_service/sarcasm", """
保留音を{dur}聞かされた。癒やされるね{b}
またコピペの返信。すごく寄り添ってもらえて感動
    """),
    ("complaint/negative/-/abusive/any", """
{b}はゴミ
{b}潰れろ、詐欺師
    """),
    ("complaint/negative/customer_service/mixed", """
CAさんは最高、地上スタッフは最悪
    """),
    ("praise/positive/lost_luggage/mixed", """
荷物は紛失したけど朝9時にホテルへ届けてくれた。ありがたい
    """),
    ("praise/positive/-", """
初めて{b}に乗ったけど、また乗りたい
清潔で定刻、CAさんもすごく親切
    """),
    ("praise/positive/loyalty", """
{flight}でまさかのアップグレード！ありがとう{b}、最高の一週間になった
    """),
    ("question/neutral/-", """
{city}行きの便にWi-Fiはありますか？
学割はありますか？
{day}の便の忘れ物はどこに問い合わせればいいですか？
    """),
    ("question/neutral/cancelled_flight", """
明日{flight}が欠航になったら自動で振替されますか？
    """),
    ("question/neutral/billing/-/biz", """
今月の請求がいつもより高いのはなぜですか？
    """),
    ("question/negative/customer_service", """
なんで{b}は人間と話すのがこんなに難しいの？
    """),
    ("urgent/negative/-", """
誰か返信してください、子ども2人と{airport}で足止め、帰る便がありません
    """),
    ("urgent/neutral/booking", """
{flight}に15分ほど遅れそうです、ゲートに伝えてもらえますか？
    """),
    ("crisis/negative/safety/safety", """
{flight}で飛行中に窓にひびが入り、{city}に目的地変更
{flight}で乗客が倒れたのにAEDが見つからなかった
{flight}が離陸を高速で中止、けが人が出ている
    """),
    ("crisis/negative/accessibility/discrimination", """
車椅子だからという理由で搭乗を拒否された。「対応できません」って違法でしょ
    """),
    ("crisis/negative/customer_service/legal_threat", """
全部録画したし弁護士にも相談しました
    """),
    ("crisis/neutral/customer_service/press", """
{outlet}の者です。{b}の社員の対応について複数の苦情が寄せられています。お話を伺えますか
    """),
    ("crisis/negative/-/press,vip", """
フォロワー30万人います。家族がどう扱われたか全員に知ってもらいます
    """),
    ("praise/positive/loyalty/vip", """
{tier}会員10年目、今でも特別扱いしてくれてありがとう
    """),
    ("general/neutral/-", """
{b}が来年の夏から{city}線を就航するらしい
{city}に着いた
明日{time}の便で{city}へ
    """),
    ("general/negative/-", """
{city}を離れるのがもう寂しい
    """),
    ("noise/neutral/-/-/none", """
ユナイテッドの試合をスポーツバーで観戦中
隣の家のジョイちゃんが子犬を飼い始めた
スピリチュアルな話は苦手
    """),
    ("noise/positive/-/-/none", """
みなさんおはようございます☀️
合格した！！うれしすぎる
    """),
    ("noise/negative/-/-/none", """
この暑さで溶けそう
    """),
    ("spam/neutral/-", """
{user} 本日中に返金手続きします。WhatsAppで{fake}までご連絡ください
    """),
    ("complaint/negative/-/emoji_only", """
{h} 👎👎👎
    """),
    ("question/neutral/booking", """
ベビーカーは機内の入口まで持っていけますか？
ベーシック運賃には手荷物が何個含まれますか？
{airport}での手荷物預けは何時まで可能ですか？
搭乗券は印刷が必要ですか？スマホで大丈夫ですか？
ギターを機内に持ち込めますか？
予約{code}の日付変更にはいくらかかりますか？
    """),
    ("question/neutral/lost_luggage", """
遅れている荷物を追跡するにはどうすればいいですか？
スーツケースが届かない場合、どこに申告すればいいですか？
    """),
    ("question/neutral/app", """
アプリの搭乗券はオフラインでも使えますか？
パスワードの変更方法を教えてください。リンクが届きません
    """),
    ("question/neutral/food_onboard", """
{city}行きの便で機内食は出ますか？持参したほうがいいですか？
    """),
    ("question/neutral/cancelled_flight", """
便が欠航になりました。次の便に乗るには何か手続きが必要ですか？
    """),
    ("question/negative/late_flight", """
なんで{flight}はまた遅れてるの？
なんで遅延について誰も説明してくれないの？
    """),
    ("question/negative/lost_luggage", """
私のスーツケースはどこ？3日目で何の連絡もない
    """),
    ("question/positive/-", """
最高のフライトでした！{city}にも就航してますか？
最高のクルーでした😍 お礼はどこから送れますか？
    """),
    ("praise/positive/-", """
文句なし、チェックインから着陸まで完璧でした
{b}がここまで良いとは思わなかった、本当に素晴らしい
ストレスゼロ、遅延ゼロ。これぞ理想
    """),
    ("praise/positive/customer_service", """
{flight}のCAさん、緊張していた私にずっと声をかけてくれました。本当に優しい
娘のぬいぐるみを見つけてくれた{airport}のスタッフの皆さん、ありがとう
    """),
    ("praise/positive/accessibility", """
{airport}で父の車椅子サポート、完璧でした。ありがとうございました
    """),
    ("complaint/neutral/-", """
念のため、{flight}の20列目の電源が使えません
細かいことですが、サイトでは手荷物締切が45分前、カウンターでは60分前と言われました
    """),
    ("urgent/negative/booking", """
変更ページが落ちて、{city}行きの最終便まであと50分。助けてください
予約{code}の妻の名前が間違っていて、今保安検査場です。出発まで45分
    """),
    ("crisis/negative/safety/safety", """
{flight}のチキンを食べた14列目の全員が体調不良、嘔吐している人も
{flight}で酸素マスクが落ちてきた。急降下している
    """),
    ("crisis/negative/customer_service/violence", """
ゲートの係員が質問しただけの父を突き飛ばした。動画あります
    """),
    ("general/neutral/-/-/any", """
{b}がトレンド入りしてるの珍しい
{b}からアンケートが来たので回答中
    """),
    ("general/neutral/-", """
連休の旅行、{b}で予約した
{airport}で{b}の新塗装機を見た
    """),
    ("spam/neutral/-/-/any", """
{h} 在宅で1日{amount}稼げる！未経験OK {spamlink}
{h} 10日で10キロ痩せる方法 {spamlink}
ブランド時計・バッグのコピー品80%オフ {spamlink}
    """),
    ("noise/neutral/-/-/none", """
物理の授業でデルタ関数、もう無理
近所のホープさんのパン屋、今日も行列
スマイル0円って昔のCMあったよね
今夜はユナイテッド戦、誰か見る？
    """),
    ("noise/positive/-/-/none", """
姪っ子が今日生まれた！うれしい！
この曲大好き、ずっとリピートしてる
    """),
    ("noise/negative/-/-/none", """
月曜日、心の底から嫌い
スマホの画面割れた、最悪な一日
    """),
    ("noise/neutral/-/-/any", """
{h} 中の人おもしろすぎる
{h} 特に用はないけど挨拶しに来た
    """),
    ("crisis/negative/safety/safety", """
{flight}の客室で焦げ臭いにおい、乗務員が消火器を持って走っている
{flight}が{airport}に引き返しました。エンジンから大きな音がして火花が見えた
着陸時にブレーキから煙、{airport}で消防車が出動。みんな無事か心配
{flight}の機内でCAさんがやけど、乱気流でお湯がこぼれた
子どもの頭に手荷物入れの荷物が落ちてきて出血。救急車を呼んでほしい
妻が{flight}の機内で意識を失った。医師の呼び出しがあったけど着陸後の対応はどうなるの
非常口のドアがテープで留めてあった。写真あります {link}
    """),
    ("crisis/negative/customer_service/discrimination", """
車椅子の母に「面倒だから後にして」と言われた。障害者差別です
肌の色で私たちだけ別室で検査された。3回目です
同性カップルだと分かった途端、席を離された
    """),
    ("crisis/negative/customer_service/violence,abusive", """
荷物が明日戻らなかったら、あの係員を絶対に許さない。覚えておけ
{city}の営業所の場所は知ってる。待ってろよ
    """),
    ("crisis/negative/lost_luggage/legal_threat", """
紛失した機材{amount}分について、弁護士を通して請求します
返金がなければ少額訴訟を起こします。証拠はそろっています
    """),
    ("crisis/neutral/safety/press", """
{outlet}です。{flight}の乱気流による負傷者について、{b}の見解を伺えますか
報道関係者です。本日の{airport}での緊急脱出について取材させてください
    """),
    ("urgent/negative/late_flight", """
到着が遅れて、{city}行きの最終便の搭乗締切まであと10分。ゲートに連絡してください
乗り継ぎ時間が15分しかないのにまだ機内から出られない。どうすれば？
    """),
    ("urgent/negative/customer_service", """
一人旅の{kid}が{airport}で迷子になっている。係員が見当たらない。至急対応を
父が{airport}の乗り継ぎで行方不明。認知症があり携帯も持っていません
    """),
    ("urgent/negative/accessibility", """
{airport}に着いたのに車椅子が来ない。父は歩けません。もう30分待っています
あと20分で着陸、予約した車椅子がアプリでキャンセルになっている。至急確認を
    """),
    ("urgent/negative/lost_luggage", """
紛失した荷物にインスリンが入っています。今日中に必要です。受付番号{code}
    """),
    ("praise/positive/customer_service", """
荷物のことで不安だったけど、{airport}のスタッフが丁寧に対応してくれて安心しました
乗り遅れそうだった母をゲートまで案内してくれた{staff}、本当にありがとう
    """),
    ("praise/positive/-", """
今日の{flight}、揺れも少なく快適でした
機内がとても清潔で気持ちよかった
いつも笑顔のCAさん、ありがとう
    """),
    ("general/neutral/-", """
{flight}で{city}に出張
{b}の新しい路線、気になる
DM送りました
    """),
    ("complaint/negative/customer_service/sarcasm", """
3回目の電話でガチャ切り、素晴らしい対応ですね{b}
チャットボットがFAQに案内してくれるの、本当に助かる（棒）
    """),
    ("complaint/negative/cancelled_flight/sarcasm", """
深夜0時に欠航連絡ありがとう、睡眠なんて要らないよね
さすが{b}、また欠航。もはや伝統芸
    """),
    ("spam/neutral/-", """
{h} {amount}の返金準備ができました。こちらでカード情報を確認してください {spamlink}
{user} {b}サポートです。予約番号と身分証の写真をDMで{fake}まで
    """),
    ("spam/neutral/-/-/any", """
{h} 🔞 大人限定の限定コンテンツはこちら {spamlink}
🚀 {coin}が100倍になる前に今すぐ参加 {spamlink}
    """),
]
