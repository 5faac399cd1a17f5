# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'templates_page.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget,
    QListWidgetItem, QPushButton, QSizePolicy, QSpacerItem,
    QSplitter, QTextBrowser, QVBoxLayout, QWidget)

class Ui_TemplatesPage(object):
    def setupUi(self, templatesPage):
        if not templatesPage.objectName():
            templatesPage.setObjectName(u"templatesPage")
        templatesPage.resize(820, 480)
        self.pageLayout = QVBoxLayout(templatesPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.templatesHeading = QLabel(templatesPage)
        self.templatesHeading.setObjectName(u"templatesHeading")
        self.templatesHeading.setWordWrap(True)

        self.pageLayout.addWidget(self.templatesHeading)

        self.contentRow = QHBoxLayout()
        self.contentRow.setObjectName(u"contentRow")
        self.templatesSplitter = QSplitter(templatesPage)
        self.templatesSplitter.setObjectName(u"templatesSplitter")
        self.templatesSplitter.setOrientation(Qt.Orientation.Horizontal)
        self.templatesSplitter.setChildrenCollapsible(False)
        self.templateList = QListWidget(self.templatesSplitter)
        self.templateList.setObjectName(u"templateList")
        self.templateList.setMinimumSize(QSize(160, 0))
        self.templateList.setAlternatingRowColors(True)
        self.templateList.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.templatesSplitter.addWidget(self.templateList)
        self.previewPane = QWidget(self.templatesSplitter)
        self.previewPane.setObjectName(u"previewPane")
        self.previewLayout = QVBoxLayout(self.previewPane)
        self.previewLayout.setObjectName(u"previewLayout")
        self.previewLayout.setContentsMargins(0, 0, 0, 0)
        self.templateSubjectLabel = QLabel(self.previewPane)
        self.templateSubjectLabel.setObjectName(u"templateSubjectLabel")
        self.templateSubjectLabel.setText(u"")
        self.templateSubjectLabel.setWordWrap(True)
        self.templateSubjectLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.previewLayout.addWidget(self.templateSubjectLabel)

        self.templatePlaceholdersLabel = QLabel(self.previewPane)
        self.templatePlaceholdersLabel.setObjectName(u"templatePlaceholdersLabel")
        self.templatePlaceholdersLabel.setText(u"")
        self.templatePlaceholdersLabel.setWordWrap(True)
        self.templatePlaceholdersLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.previewLayout.addWidget(self.templatePlaceholdersLabel)

        self.templatePreview = QTextBrowser(self.previewPane)
        self.templatePreview.setObjectName(u"templatePreview")
        self.templatePreview.setOpenLinks(False)

        self.previewLayout.addWidget(self.templatePreview)

        self.templatesSplitter.addWidget(self.previewPane)

        self.contentRow.addWidget(self.templatesSplitter)

        self.buttonColumn = QVBoxLayout()
        self.buttonColumn.setObjectName(u"buttonColumn")
        self.addTemplateButton = QPushButton(templatesPage)
        self.addTemplateButton.setObjectName(u"addTemplateButton")

        self.buttonColumn.addWidget(self.addTemplateButton)

        self.editTemplateButton = QPushButton(templatesPage)
        self.editTemplateButton.setObjectName(u"editTemplateButton")

        self.buttonColumn.addWidget(self.editTemplateButton)

        self.duplicateTemplateButton = QPushButton(templatesPage)
        self.duplicateTemplateButton.setObjectName(u"duplicateTemplateButton")

        self.buttonColumn.addWidget(self.duplicateTemplateButton)

        self.deleteTemplateButton = QPushButton(templatesPage)
        self.deleteTemplateButton.setObjectName(u"deleteTemplateButton")

        self.buttonColumn.addWidget(self.deleteTemplateButton)

        self.importTemplateButton = QPushButton(templatesPage)
        self.importTemplateButton.setObjectName(u"importTemplateButton")

        self.buttonColumn.addWidget(self.importTemplateButton)

        self.buttonGap = QSpacerItem(0, 12, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.buttonColumn.addItem(self.buttonGap)

        self.sendTemplateButton = QPushButton(templatesPage)
        self.sendTemplateButton.setObjectName(u"sendTemplateButton")

        self.buttonColumn.addWidget(self.sendTemplateButton)

        self.buttonStretch = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.buttonColumn.addItem(self.buttonStretch)


        self.contentRow.addLayout(self.buttonColumn)


        self.pageLayout.addLayout(self.contentRow)

        self.templatesMessageLabel = QLabel(templatesPage)
        self.templatesMessageLabel.setObjectName(u"templatesMessageLabel")
        self.templatesMessageLabel.setText(u"")
        self.templatesMessageLabel.setWordWrap(True)
        self.templatesMessageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse|Qt.TextInteractionFlag.TextSelectableByMouse)

        self.pageLayout.addWidget(self.templatesMessageLabel)

        QWidget.setTabOrder(self.templateList, self.templatePreview)
        QWidget.setTabOrder(self.templatePreview, self.addTemplateButton)
        QWidget.setTabOrder(self.addTemplateButton, self.editTemplateButton)
        QWidget.setTabOrder(self.editTemplateButton, self.duplicateTemplateButton)
        QWidget.setTabOrder(self.duplicateTemplateButton, self.deleteTemplateButton)
        QWidget.setTabOrder(self.deleteTemplateButton, self.importTemplateButton)
        QWidget.setTabOrder(self.importTemplateButton, self.sendTemplateButton)

        self.retranslateUi(templatesPage)

        QMetaObject.connectSlotsByName(templatesPage)
    # setupUi

    def retranslateUi(self, templatesPage):
        self.templatesHeading.setText(QCoreApplication.translate("TemplatesPage", u"Mail templates \u2014 the subject and HTML body of the mail the BI server sends; ${name} marks a value filled in at sending:", None))
#if QT_CONFIG(tooltip)
        self.templatePreview.setToolTip(QCoreApplication.translate("TemplatesPage", u"The mail as recipients will see it (placeholders shown as ${name}; fonts a mail client cannot show replaced by SimSun)", None))
#endif // QT_CONFIG(tooltip)
        self.addTemplateButton.setText(QCoreApplication.translate("TemplatesPage", u"&New template\u2026", None))
#if QT_CONFIG(tooltip)
        self.addTemplateButton.setToolTip(QCoreApplication.translate("TemplatesPage", u"Write a new template: name, subject and HTML body", None))
#endif // QT_CONFIG(tooltip)
        self.editTemplateButton.setText(QCoreApplication.translate("TemplatesPage", u"&Edit\u2026", None))
        self.duplicateTemplateButton.setText(QCoreApplication.translate("TemplatesPage", u"D&uplicate", None))
#if QT_CONFIG(tooltip)
        self.duplicateTemplateButton.setToolTip(QCoreApplication.translate("TemplatesPage", u"Copy the selected template under a new name", None))
#endif // QT_CONFIG(tooltip)
        self.deleteTemplateButton.setText(QCoreApplication.translate("TemplatesPage", u"&Delete", None))
        self.importTemplateButton.setText(QCoreApplication.translate("TemplatesPage", u"&Import HTML file\u2026", None))
#if QT_CONFIG(tooltip)
        self.importTemplateButton.setToolTip(QCoreApplication.translate("TemplatesPage", u"Make a new template from an HTML file (UTF-8)", None))
#endif // QT_CONFIG(tooltip)
        self.sendTemplateButton.setText(QCoreApplication.translate("TemplatesPage", u"&Send\u2026", None))
#if QT_CONFIG(tooltip)
        self.sendTemplateButton.setToolTip(QCoreApplication.translate("TemplatesPage", u"Send the selected template to recipients you choose", None))
#endif // QT_CONFIG(tooltip)
        pass
    # retranslateUi
